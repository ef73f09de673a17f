// A TCP relay on 127.0.0.1 in front of a server on 127.0.0.1, for fault tests of slow links: each
// connection to port() is passed on to the server, at most `bytesPerSecond` in each direction
// (0: as fast as it comes; Throttle::AnswersOnly: from the server alone), and every byte is counted. One thread
// accepts, one per connection pumps; the destructor closes them all.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace complaintd::testing {

// Which way the rate holds: both, or only for what the server sends (a client's request passes at once).
enum class Throttle { BothWays, AnswersOnly };

class ThrottledRelay {
public:
    ThrottledRelay(int serverPort, std::size_t bytesPerSecond, Throttle throttle = Throttle::BothWays);
    ~ThrottledRelay();
    ThrottledRelay(const ThrottledRelay&) = delete;
    ThrottledRelay& operator=(const ThrottledRelay&) = delete;

    int port() const { return port_; }
    // Bytes passed from the server to its clients, and from the clients to the server, so far.
    std::size_t bytesFromServer() const { return fromServer_; }
    std::size_t bytesToServer() const { return toServer_; }
    std::size_t connections() const { return connections_; }
    // From now on, once `bytes` have passed (both directions, all connections), nothing more is
    // passed on and the connections stay open: a stalled line or server.
    void stallAfter(std::size_t bytes) { stallAfter_ = bytes; }
    // From now on, once a client has sent the end of an SMTP DATA ("\r\n.\r\n"), what the server
    // sends it is swallowed: the server has the letter, the client never hears its answer.
    void swallowAnswersAfterData() { swallowAfterData_ = true; }

private:
    void acceptLoop();
    void pump(int client);

    int serverPort_;
    std::size_t bytesPerSecond_;
    Throttle throttle_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> fromServer_{0}, toServer_{0}, connections_{0};
    std::atomic<std::size_t> stallAfter_{std::size_t(-1)};
    std::atomic<bool> swallowAfterData_{false};
    std::mutex mutex_;
    std::vector<std::thread> pumps_;
    std::thread acceptor_;
};

}  // namespace complaintd::testing
