"""A slow line between complaintd and a test server (see slow_link.h, SlowLink).

    /usr/bin/python3 slow_link.py LISTEN_PORT TARGET_PORT BYTES_PER_SECOND

Listens on 127.0.0.1:LISTEN_PORT and relays each connection to 127.0.0.1:TARGET_PORT.
What the client sends passes at once; what the server answers is passed on in chunks of
at most 1/10 of BYTES_PER_SECOND, one chunk every 0.1 s, like a slow link from the
server. Nothing is changed in the bytes, and nothing listens or connects off loopback.
"""

import asyncio
import sys

TICK = 0.1


async def pipe(reader, writer, chunk, tick):
    try:
        while True:
            data = await reader.read(chunk)
            if not data:
                break
            writer.write(data)
            await writer.drain()
            if tick:
                await asyncio.sleep(tick)
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen_port, target_port, rate):
    chunk = max(1, rate // int(1 / TICK))

    async def relay(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, server_writer, 65536, 0),
            pipe(server_reader, client_writer, chunk, TICK),
        )

    server = await asyncio.start_server(relay, "127.0.0.1", listen_port)
    print(f"slow link 127.0.0.1:{listen_port} -> 127.0.0.1:{target_port} at {rate} bytes/s", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
