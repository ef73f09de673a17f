// HTML to plain text with libxml2's forgiving HTML parser.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "parsers/text_decoding.h"
#include "text_util.h"

namespace complaintd::parsers {

namespace {

constexpr int kHtmlOptions =
    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;

enum class Layout { Inline, Skip, Line, Paragraph, Break, Cell };

bool nameIn(std::string_view name, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
        if (name == n) return true;
    }
    return false;
}

Layout layoutOf(const xmlNode* node) {
    const std::string_view name = reinterpret_cast<const char*>(node->name);
    if (nameIn(name, {"script", "style", "head", "title", "noscript", "template"})) return Layout::Skip;
    if (name == "br") return Layout::Break;
    if (name == "td" || name == "th") return Layout::Cell;
    if (nameIn(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "ul", "ol"})) {
        return Layout::Paragraph;
    }
    if (nameIn(name,
               {"div",    "tr",      "li",   "dt",     "dd",      "dl",    "hr",    "section", "article", "header",
                "footer", "address", "form", "center", "caption", "tbody", "thead", "tfoot",   "body",    "html"})) {
        return Layout::Line;
    }
    return Layout::Inline;
}

// Accumulates text the way a browser lays it out, roughly: white space
// collapses outside <pre>, blocks start on new lines.
class TextSink {
public:
    void text(std::string_view t, bool preformatted) {
        for (char c : t) {
            if (preformatted) {
                out_ += c;
            } else if (detail::isMailWhitespace(c)) {
                pendingSpace_ = true;
            } else {
                if (pendingSpace_ && !atLineStart()) out_ += ' ';
                pendingSpace_ = false;
                out_ += c;
            }
        }
    }

    void lineBreak() {
        out_ += '\n';
        pendingSpace_ = false;
    }

    void endLine() {
        if (!atLineStart()) out_ += '\n';
        pendingSpace_ = false;
    }

    void paragraph() {
        endLine();
        if (!out_.empty()) out_ += '\n';
    }

    void cell() {
        if (!atLineStart()) out_ += '\t';
        pendingSpace_ = false;
    }

    std::string finish() const;

private:
    bool atLineStart() const { return out_.empty() || out_.back() == '\n' || out_.back() == '\t'; }

    std::string out_;
    bool pendingSpace_ = false;
};

// Trims each line's trailing blanks, keeps at most one blank line in a row,
// turns no-break spaces into plain ones and trims the whole.
std::string TextSink::finish() const {
    std::string text;
    const std::string raw = detail::normaliseLineEnds(out_);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const bool noBreakSpace = raw[i] == '\xC2' && i + 1 < raw.size() && raw[i + 1] == '\xA0';
        text += noBreakSpace ? ' ' : raw[i];
        if (noBreakSpace) ++i;
    }
    std::string result;
    int blankRun = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        blankRun = line.empty() ? blankRun + 1 : 0;
        if (blankRun < 2) {
            result.append(line);
            result += '\n';
        }
        start = end + 1;
    }
    return std::string(detail::trimWhitespace(result));
}

class HtmlWalker {
public:
    explicit HtmlWalker(TextSink& sink) : sink_(sink) {}

    // Depth-first walk without recursion: mail HTML can nest arbitrarily deep.
    void walk(xmlNode* root) {
        xmlNode* node = root;
        while (node != nullptr) {
            if (enter(node) && node->children != nullptr) {
                node = node->children;
                continue;
            }
            node = climb(node, root);
        }
    }

private:
    // Leaves `node` and every ancestor that has no further sibling; returns
    // the next node to enter, or null once `root` is done.
    xmlNode* climb(xmlNode* node, xmlNode* root) {
        while (node != nullptr) {
            leave(node);
            if (node == root) return nullptr;
            if (node->next != nullptr) return node->next;
            node = node->parent;
        }
        return nullptr;
    }

    bool enter(xmlNode* node) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content != nullptr) sink_.text(reinterpret_cast<const char*>(node->content), preDepth_ > 0);
            return false;
        }
        if (node->type != XML_ELEMENT_NODE) return false;
        const Layout layout = layoutOf(node);
        if (layout == Layout::Skip) return false;
        if (layout == Layout::Break) sink_.lineBreak();
        if (layout == Layout::Line) sink_.endLine();
        if (layout == Layout::Paragraph) sink_.paragraph();
        if (layout == Layout::Cell) sink_.cell();
        if (std::strcmp(reinterpret_cast<const char*>(node->name), "pre") == 0) ++preDepth_;
        return true;
    }

    void leave(xmlNode* node) {
        if (node->type != XML_ELEMENT_NODE) return;
        const Layout layout = layoutOf(node);
        if (layout == Layout::Line) sink_.endLine();
        if (layout == Layout::Paragraph) sink_.paragraph();
        if (std::strcmp(reinterpret_cast<const char*>(node->name), "pre") == 0 && preDepth_ > 0) --preDepth_;
    }

    TextSink& sink_;
    int preDepth_ = 0;
};

// Used only when libxml2 returns no document at all: drop anything in <...>.
std::string stripTags(std::string_view html) {
    TextSink sink;
    bool inTag = false;
    for (char c : html) {
        if (c == '<') inTag = true;
        if (!inTag) sink.text(std::string_view(&c, 1), false);
        if (c == '>') inTag = false;
    }
    return sink.finish();
}

// libxml2 2.9 checks each attribute of a start tag against all before it: a tag of a million
// attributes costs 10^12 compares. No mail needs more than a few dozen, and attributes never
// reach the text, so the words of a start tag past kMaxTagWords are dropped before parsing, in
// one pass (closing a quote left open, so that the text after the tag stays text).
constexpr std::size_t kMaxTagWords = 512;

std::string withBoundedTags(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    std::size_t pos = 0;
    while (pos < html.size()) {
        const std::size_t open = html.find('<', pos);
        if (open == std::string_view::npos || open + 1 >= html.size()) break;
        std::size_t i = open + 1;
        std::size_t words = 0;
        char quote = 0;
        bool space = false;
        for (; i < html.size() && (quote != 0 || html[i] != '>') && words <= kMaxTagWords; ++i) {
            const char c = html[i];
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '<') {
                break;  // not a tag after all, or one left open: the next one starts here
            }
            const bool blank = detail::isMailWhitespace(c);
            if (space && !blank && quote == 0) ++words;
            space = blank;
        }
        if (words <= kMaxTagWords) {
            out.append(html, pos, i - pos);
            pos = i;
            continue;
        }
        out.append(html, pos, i - pos);
        if (quote != 0) out += quote;
        const std::size_t close = html.find('>', i);
        pos = close == std::string_view::npos ? html.size() : close;
    }
    out.append(html, pos);
    return out;
}

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

}  // namespace

std::string htmlToText(std::string_view input) {
    if (detail::trimWhitespace(input).empty()) return {};
    const std::string bounded = withBoundedTags(input);
    const std::string_view html = bounded;
    const int size = html.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(html.size());
    std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(html.data(), size, nullptr, "UTF-8", kHtmlOptions));
    if (!doc) return detail::repairUtf8(stripTags(html));
    TextSink sink;
    HtmlWalker walker(sink);
    for (xmlNode* top = doc->children; top != nullptr; top = top->next) walker.walk(top);
    return detail::repairUtf8(sink.finish());
}

}  // namespace complaintd::parsers
