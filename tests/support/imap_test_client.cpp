// ImapTestClient speaks IMAP itself over a Poco socket rather than through libcurl because
// libcurl 7.88 cannot do what assertions need: its APPEND always sets \Seen, its message
// fetch uses BODY[] (marks the mail \Seen), and custom commands drop literals, so
// "UID FETCH n BODY.PEEK[]" returns no body.
#include "test_servers.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace complaintd::testing {
namespace {

// One untagged response ("* ..."): its text with literal markers ({N}) left in place and the
// literal contents in order.
struct Untagged {
    std::string text;
    std::vector<std::string> literals;
};

struct Completion {
    bool ok = false;
    std::string line;  // the tagged status line, e.g. "A3 NO [ALREADYEXISTS] Mailbox already exists"
    std::vector<Untagged> untagged;
};

std::string quoted(const std::string& s) {
    if (s.find_first_of("\r\n") != std::string::npos) {
        throw std::invalid_argument("IMAP string must not contain CR or LF: " + s);
    }
    std::string result = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') result += '\\';
        result += c;
    }
    return result + "\"";
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> result;
    for (std::string word; in >> word;) result.push_back(word);
    return result;
}

// Length of a literal announced at the end of a line ("{123}" or "{123+}"), if any.
std::optional<std::size_t> literalLength(const std::string& line) {
    if (line.empty() || line.back() != '}') return std::nullopt;
    const auto open = line.rfind('{');
    if (open == std::string::npos) return std::nullopt;
    std::string digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.pop_back();
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return std::nullopt;
    return std::stoul(digits);
}

class ImapSession {
public:
    ImapSession(const std::string& host, int port, const std::string& user, const std::string& password)
        : where_("IMAP server " + host + ":" + std::to_string(port)) {
        try {
            socket_.connect(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), Poco::Timespan(5, 0));
        } catch (const Poco::Exception& e) {
            throw std::runtime_error("cannot connect to " + where_ + ": " + e.displayText());
        }
        socket_.setReceiveTimeout(Poco::Timespan(10, 0));
        const std::string greeting = readLine();
        if (!greeting.starts_with("* OK")) throw std::runtime_error(where_ + " greeted with: " + greeting);
        run("LOGIN " + quoted(user) + " " + quoted(password));
    }

    ~ImapSession() {
        try {
            run("LOGOUT");
        } catch (...) {
            // The connection is closed either way.
        }
    }

    ImapSession(const ImapSession&) = delete;
    ImapSession& operator=(const ImapSession&) = delete;

    Completion send(const std::string& command) {
        const std::string tag = nextTag();
        write(tag + " " + command + "\r\n");
        return readUntilTagged(tag, command);
    }

    // Like send(), but a NO or BAD answer throws.
    std::vector<Untagged> run(const std::string& command) {
        Completion done = send(command);
        if (!done.ok) throw std::runtime_error(where_ + " refused '" + redacted(command) + "': " + done.line);
        return std::move(done.untagged);
    }

    // APPEND with a synchronising literal; returns the tagged completion.
    Completion append(const std::string& folder, const std::string& flags, const std::string& message) {
        const std::string tag = nextTag();
        const std::string command = "APPEND " + quoted(folder) + " (" + flags + ")";
        write(tag + " " + command + " {" + std::to_string(message.size()) + "}\r\n");
        const std::string reply = readLine();
        if (!reply.starts_with("+")) {
            Completion refused;
            refused.line = reply;
            return refused;
        }
        write(message + "\r\n");
        return readUntilTagged(tag, command);
    }

private:
    std::string nextTag() { return "A" + std::to_string(++tagCounter_); }

    static std::string redacted(const std::string& command) {
        return command.starts_with("LOGIN ") ? "LOGIN ..." : command;
    }

    void write(const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const int n = socket_.sendBytes(data.data() + sent, static_cast<int>(data.size() - sent));
            if (n <= 0) throw std::runtime_error(where_ + " closed the connection while we were sending");
            sent += static_cast<std::size_t>(n);
        }
    }

    void fill() {
        char chunk[4096];
        int n = 0;
        try {
            n = socket_.receiveBytes(chunk, sizeof chunk);
        } catch (const Poco::TimeoutException&) {
            throw std::runtime_error(where_ + " did not answer within 10 s");
        }
        if (n <= 0) throw std::runtime_error(where_ + " closed the connection");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }

    std::string readLine() {
        std::size_t end;
        while ((end = buffer_.find("\r\n")) == std::string::npos) fill();
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
    }

    std::string readBytes(std::size_t count) {
        while (buffer_.size() < count) fill();
        std::string bytes = buffer_.substr(0, count);
        buffer_.erase(0, count);
        return bytes;
    }

    // A response line plus any literals it announces and the text continuing after them.
    Untagged readResponse() {
        Untagged response{readLine(), {}};
        while (auto length = literalLength(response.text)) {
            response.literals.push_back(readBytes(*length));
            response.text += readLine();
        }
        return response;
    }

    Completion readUntilTagged(const std::string& tag, const std::string& command) {
        Completion done;
        for (;;) {
            Untagged response = readResponse();
            if (response.text.starts_with("* ")) {
                response.text.erase(0, 2);
                done.untagged.push_back(std::move(response));
            } else if (response.text.starts_with(tag + " ")) {
                done.line = response.text;
                done.ok = response.text.compare(tag.size() + 1, 3, "OK ") == 0;
                return done;
            } else {
                throw std::runtime_error(where_ + " sent an unexpected line after '" + redacted(command) +
                                         "': " + response.text);
            }
        }
    }

    std::string where_;
    Poco::Net::StreamSocket socket_;
    std::string buffer_;
    unsigned tagCounter_ = 0;
};

// The untagged "n FETCH (...)" response of a UID FETCH for `uid`.
const Untagged& fetchResponseFor(const std::vector<Untagged>& untagged, unsigned uid, const std::string& folder) {
    const std::string uidItem = "UID " + std::to_string(uid);
    for (const auto& response : untagged) {
        const auto head = words(response.text.substr(0, response.text.find('(')));
        const bool isFetch = head.size() == 2 && head[1] == "FETCH";
        const auto at = response.text.find(uidItem);
        if (isFetch && at != std::string::npos) {
            const char after = response.text[at + uidItem.size()];
            if (after == ' ' || after == ')') return response;
        }
    }
    throw std::runtime_error("no message with UID " + std::to_string(uid) + " in folder " + folder);
}

// The mailbox name at the end of "LIST (flags) delimiter name".
std::string listedName(const Untagged& response) {
    const std::string& text = response.text;
    auto rest = text.substr(text.find(')') + 2);
    rest = rest.starts_with("NIL ") ? rest.substr(4) : rest.substr(rest.find('"', 1) + 2);
    if (literalLength(rest)) return response.literals.back();
    if (!rest.starts_with("\"")) return rest;
    std::string name;
    for (std::size_t i = 1; i + 1 < rest.size(); ++i) {
        if (rest[i] == '\\') ++i;
        name += rest[i];
    }
    return name;
}

std::string joined(const std::vector<std::string>& items) {
    std::string result;
    for (const auto& item : items) result += (result.empty() ? "" : " ") + item;
    return result;
}

}  // namespace

ImapTestClient::ImapTestClient(std::string url, std::string user, std::string password)
    : user_(std::move(user)), password_(std::move(password)) {
    const Poco::URI uri(url);
    if (uri.getScheme() != "imap") throw std::invalid_argument("ImapTestClient needs an imap:// URL, got " + url);
    if (uri.getHost() != "127.0.0.1" && uri.getHost() != "localhost") {
        throw std::invalid_argument("ImapTestClient only talks to loopback (127.0.0.1), got " + url);
    }
    host_ = "127.0.0.1";
    port_ = uri.getPort();
}

ImapTestClient::ImapTestClient(const DovecotServer& server)
    : ImapTestClient(server.url(), server.user(), server.password()) {}

std::vector<std::string> ImapTestClient::capabilities() {
    ImapSession session(host_, port_, user_, password_);
    for (const auto& response : session.run("CAPABILITY")) {
        auto items = words(response.text);
        if (!items.empty() && items[0] == "CAPABILITY") return {items.begin() + 1, items.end()};
    }
    return {};
}

std::vector<std::string> ImapTestClient::folders() {
    ImapSession session(host_, port_, user_, password_);
    std::vector<std::string> names;
    for (const auto& response : session.run("LIST \"\" \"*\"")) {
        if (response.text.starts_with("LIST ")) names.push_back(listedName(response));
    }
    return names;
}

void ImapTestClient::createFolder(const std::string& folder) {
    ImapSession session(host_, port_, user_, password_);
    const Completion done = session.send("CREATE " + quoted(folder));
    if (!done.ok && done.line.find("[ALREADYEXISTS]") == std::string::npos) {
        throw std::runtime_error("IMAP CREATE " + folder + " failed: " + done.line);
    }
}

unsigned ImapTestClient::append(const std::string& folder, const std::string& rawMessage,
                                const std::vector<std::string>& flags) {
    ImapSession session(host_, port_, user_, password_);
    const Completion done = session.append(folder, joined(flags), rawMessage);
    // "A2 OK [APPENDUID <uidvalidity> <uid>] Append completed."
    const auto code = done.line.find("[APPENDUID ");
    if (!done.ok || code == std::string::npos) {
        throw std::runtime_error("IMAP APPEND to " + folder + " failed: " + done.line);
    }
    const auto items = words(done.line.substr(code, done.line.find(']', code) - code));
    return static_cast<unsigned>(std::stoul(items.at(2)));
}

std::vector<unsigned> ImapTestClient::uids(const std::string& folder) {
    ImapSession session(host_, port_, user_, password_);
    session.run("EXAMINE " + quoted(folder));
    std::vector<unsigned> result;
    for (const auto& response : session.run("UID SEARCH ALL")) {
        const auto items = words(response.text);
        if (items.empty() || items[0] != "SEARCH") continue;
        for (auto it = items.begin() + 1; it != items.end(); ++it) result.push_back(std::stoul(*it));
    }
    std::sort(result.begin(), result.end());
    return result;
}

std::vector<std::string> ImapTestClient::flags(const std::string& folder, unsigned uid) {
    ImapSession session(host_, port_, user_, password_);
    session.run("EXAMINE " + quoted(folder));
    const auto untagged = session.run("UID FETCH " + std::to_string(uid) + " (FLAGS)");
    const std::string& text = fetchResponseFor(untagged, uid, folder).text;
    const auto open = text.find("FLAGS (") + 7;
    auto result = words(text.substr(open, text.find(')', open) - open));
    // \Recent only says which session saw the message first, which for us is this one.
    std::erase(result, "\\Recent");
    return result;
}

std::string ImapTestClient::fetch(const std::string& folder, unsigned uid) {
    ImapSession session(host_, port_, user_, password_);
    session.run("EXAMINE " + quoted(folder));
    const auto untagged = session.run("UID FETCH " + std::to_string(uid) + " (BODY.PEEK[])");
    const Untagged& response = fetchResponseFor(untagged, uid, folder);
    if (response.literals.empty())
        throw std::runtime_error("IMAP FETCH of UID " + std::to_string(uid) + " in " + folder +
                                 " returned no body: " + response.text);
    return response.literals.front();
}

void ImapTestClient::removeFlag(const std::string& folder, unsigned uid, const std::string& flag) {
    ImapSession session(host_, port_, user_, password_);
    session.run("SELECT " + quoted(folder));
    session.run("UID STORE " + std::to_string(uid) + " -FLAGS.SILENT (" + flag + ")");
}

}  // namespace complaintd::testing
