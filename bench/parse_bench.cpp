// Parsing speed over the public corpus, printed, not asserted: bare mimetic
// building the MIME tree (the ceiling), complaintd's full parseMessage
// (structure, transfer decoding, charsets, text, contact details), and
// Python's email package on the same files in the same run, with the ratios.
//
// usage: parse_bench [--corpus DIR] [--seconds S] [--python-rounds N] [--no-python]
//
// Each C++ figure is the best of repeated rounds over the whole corpus (the
// machine is shared; the best round is the least disturbed one).
#include <mimetic/mimetic.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/mime_parser.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
    fs::path corpus = COMPLAINTD_CORPUS_DIR;
    double seconds = 3.0;
    int pythonRounds = 2;
    bool python = true;
};

struct Corpus {
    std::vector<fs::path> paths;
    std::vector<std::string> messages;
    std::size_t bytes = 0;
};

struct Figure {
    double messagesPerSecond = 0;
    double megabytesPerSecond = 0;
};

// The corpus's notes, licence texts and bare charset samples are not mail.
bool isMessage(const fs::path& path) {
    const std::string name = path.filename().string();
    return path.extension() != ".md" && name.find("LICENSE") == std::string::npos &&
           name.find("README") == std::string::npos && path.parent_path().filename() != "gmime-charset-text";
}

Corpus loadCorpus(const fs::path& root) {
    Corpus corpus;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
        if (entry.is_regular_file() && isMessage(entry.path())) corpus.paths.push_back(entry.path());
    }
    std::sort(corpus.paths.begin(), corpus.paths.end());
    for (const fs::path& path : corpus.paths) {
        std::ifstream in(path, std::ios::binary);
        corpus.messages.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        corpus.bytes += corpus.messages.back().size();
    }
    return corpus;
}

// What parseMessage hands to mimetic: a byte order mark, leading blank lines
// and an mbox "From " line are skipped first. Given them, mimetic finds no
// header and keeps the whole file as one body (two corpus files start so).
std::string_view asParserReadsIt(std::string_view raw) {
    if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t' || raw.front() == '\r' || raw.front() == '\n')) {
        raw.remove_prefix(1);
    }
    if (raw.substr(0, 5) == "From ") {
        const std::size_t end = raw.find_first_of("\r\n");
        raw.remove_prefix(end == std::string_view::npos ? raw.size() : end + 1);
        if (!raw.empty() && raw.front() == '\n') raw.remove_prefix(1);
    }
    return raw;
}

// The best seconds per round of each of `rounds`, run in turn (so that a busy
// spell on a shared machine hits all alike) until `budget` seconds are spent.
std::vector<double> bestRounds(const std::vector<std::function<void()>>& rounds, double budget) {
    std::vector<double> best(rounds.size(), 1e30);
    const Clock::time_point until =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
    do {
        for (std::size_t i = 0; i < rounds.size(); ++i) {
            const Clock::time_point start = Clock::now();
            rounds[i]();
            best[i] = std::min(best[i], std::chrono::duration<double>(Clock::now() - start).count());
        }
    } while (Clock::now() < until);
    return best;
}

Figure figure(const Corpus& corpus, double seconds) {
    return {static_cast<double>(corpus.messages.size()) / seconds, static_cast<double>(corpus.bytes) / seconds / 1e6};
}

// Runs bench/python_email_bench.py with /usr/bin/python3 on the same files.
bool runPython(const Corpus& corpus, int rounds, Figure& result, int& errors) {
    const fs::path list = fs::temp_directory_path() / ("parse_bench_files_" + std::to_string(::getpid()));
    {
        std::ofstream out(list);
        for (const fs::path& path : corpus.paths) out << path.string() << "\n";
    }
    const std::string command = std::string("/usr/bin/python3 '") + COMPLAINTD_PYTHON_BENCH + "' " +
                                std::to_string(rounds) + " < '" + list.string() + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    std::string output;
    char buffer[512];
    while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    const int status = pipe == nullptr ? -1 : ::pclose(pipe);
    fs::remove(list);
    double seconds = 0;
    const std::size_t at = output.find("\"seconds\": ");
    const std::size_t errorsAt = output.find("\"errors\": ");
    if (status != 0 || at == std::string::npos || errorsAt == std::string::npos) {
        std::cerr << "python benchmark failed (status " << status << "): " << output << "\n";
        return false;
    }
    seconds = std::strtod(output.c_str() + at + 11, nullptr);
    errors = std::atoi(output.c_str() + errorsAt + 10);
    result = figure(corpus, seconds);
    return seconds > 0;
}

void printRow(std::string_view name, const Figure& f) {
    std::printf("  %-50s %12.0f %10.1f\n", std::string(name).c_str(), f.messagesPerSecond, f.megabytesPerSecond);
}

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--corpus" && hasValue) {
            options.corpus = argv[++i];
        } else if (arg == "--seconds" && hasValue) {
            options.seconds = std::atof(argv[++i]);
        } else if (arg == "--python-rounds" && hasValue) {
            options.pythonRounds = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--no-python") {
            options.python = false;
        } else {
            std::cerr << "usage: parse_bench [--corpus DIR] [--seconds S] [--python-rounds N] [--no-python]\n";
            std::exit(2);
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    if (!fs::is_directory(options.corpus)) {
        std::cerr << "no corpus at " << options.corpus << "\n";
        return 1;
    }
    const Corpus corpus = loadCorpus(options.corpus);
    std::printf("corpus: %zu messages, %.2f MB in %s\n", corpus.messages.size(), corpus.bytes / 1e6,
                options.corpus.c_str());
    std::printf("C++ figures: best round of each, taken in turn for %.0f s\n\n", 3 * options.seconds);
    std::printf("  %-50s %12s %10s\n", "", "messages/s", "MB/s");

    std::size_t failures = 0;
    const std::vector<double> best = bestRounds({[&] {
                                                     for (const std::string& raw : corpus.messages) {
                                                         const std::string_view bytes = asParserReadsIt(raw);
                                                         mimetic::MimeEntity entity;
                                                         entity.load(bytes.data(), bytes.data() + bytes.size());
                                                     }
                                                 },
                                                 [&] {
                                                     for (const std::string& raw : corpus.messages) {
                                                         mimetic::MimeEntity entity;
                                                         entity.load(raw.data(), raw.data() + raw.size());
                                                     }
                                                 },
                                                 [&] {
                                                     failures = 0;
                                                     for (const std::string& raw : corpus.messages) {
                                                         failures += complaintd::parsers::parseMessage(raw).index();
                                                     }
                                                 }},
                                                3 * options.seconds);
    const Figure mimetic = figure(corpus, best[0]);
    const Figure ours = figure(corpus, best[2]);
    printRow("(a) mimetic building the MIME tree (the ceiling)", mimetic);
    printRow("    mimetic on the files as given (see note)", figure(corpus, best[1]));
    printRow("(b) complaintd parseMessage, contact details incl.", ours);

    Figure python;
    int pythonErrors = 0;
    const bool pythonRan = options.python && runPython(corpus, options.pythonRounds, python, pythonErrors);
    if (pythonRan) printRow("(c) Python email, policy.default + get_content", python);

    std::printf("\n  complaintd / bare mimetic: %5.0f%%   (target >= 40%%)\n",
                100.0 * ours.messagesPerSecond / mimetic.messagesPerSecond);
    if (pythonRan) {
        std::printf("  complaintd / Python email: %5.0fx   (target >= 50x)\n",
                    ours.messagesPerSecond / python.messagesPerSecond);
    }
    std::printf(
        "\nnote: (a) hands mimetic the bytes parseMessage does (a leading mbox \"From \" line and blank lines\n"
        "skipped); on the files as given mimetic finds no header in two large ones (torture, enclosed-endless)\n"
        "and copies each whole as one body. complaintd quarantined %zu files; Python could not read the\n"
        "content of %d parts.\n",
        failures, pythonErrors);
    return 0;
}
