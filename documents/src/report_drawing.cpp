#include "report_drawing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace complaintd::documents::detail {
namespace {

constexpr Rgb kBarColor{0.23, 0.42, 0.65};
constexpr Rgb kGrid{0.82, 0.82, 0.82};
constexpr Rgb kHeadingFill{0.90, 0.92, 0.95};
constexpr Rgb kBlack{0, 0, 0};
constexpr double kCellPad = 4;

void chartTitle(Flow& flow, const std::string& title) {
    flow.paragraph(title, TextStyle{11, Weight::Bold, Align::Left});
    flow.space(6);
}

double rowHeight(Flow& flow, const std::vector<TableColumn>& columns, const std::vector<std::string>& cells,
                 const TextStyle& style) {
    double height = 0;
    for (std::size_t c = 0; c < columns.size() && c < cells.size(); ++c)
        height = std::max(height, flow.doc().measureHeight(columns[c].width - 2 * kCellPad, cells[c], style));
    return height + 2 * kCellPad;
}

void drawRow(Flow& flow, const std::vector<TableColumn>& columns, const std::vector<std::string>& cells,
             const TextStyle& base, bool heading) {
    const double height = rowHeight(flow, columns, cells, base);
    auto& doc = flow.doc();
    double x = kMargin;
    const double top = flow.y();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (heading) doc.fillRectangle(x, top, columns[c].width, height, kHeadingFill);
        doc.setColor(kBlack);
        doc.rectangle(x, top, columns[c].width, height, 0.6);
        TextStyle style = base;
        style.align = heading ? Align::Center : columns[c].align;
        if (heading) style.weight = Weight::Bold;
        if (c < cells.size()) doc.text(x + kCellPad, top + kCellPad, columns[c].width - 2 * kCellPad, cells[c], style);
        x += columns[c].width;
    }
    flow.space(height);
}

// A round step for the value axis: 1, 2 or 5 times a power of ten, about five steps to the top.
double niceStep(double maximum) {
    if (maximum <= 5) return 1;
    const double raw = maximum / 5, power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * power) return m * power;
    return 10 * power;
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

}  // namespace

std::string percent(std::optional<double> ratio) {
    if (!ratio) return "－";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", *ratio * 100);
    return buffer;
}

void drawTable(Flow& flow, const std::vector<TableColumn>& columns, const std::vector<std::vector<std::string>>& rows,
               double fontSize) {
    const TextStyle style{fontSize, Weight::Regular, Align::Left, 0.2};
    std::vector<std::string> headings;
    for (const auto& c : columns) headings.push_back(c.heading);
    const double headingHeight = rowHeight(flow, columns, headings, style);
    flow.keep(headingHeight + (rows.empty() ? 0 : rowHeight(flow, columns, rows.front(), style)));
    drawRow(flow, columns, headings, style, true);
    for (const auto& row : rows) {
        const double height = rowHeight(flow, columns, row, style);
        if (flow.y() + height > flow.bottom()) {
            flow.pageBreak();  // the heading repeated on the new page, so the columns stay readable
            drawRow(flow, columns, headings, style, true);
        }
        drawRow(flow, columns, row, style, false);
    }
    flow.space(10);
}

void drawBarChart(Flow& flow, const std::string& title, const std::vector<Bar>& bars, double height) {
    const TextStyle label{9, Weight::Regular, Align::Center, 0.1};
    const double labelHeight = 30, axisWidth = 30;
    flow.keep(height + labelHeight + 40);
    chartTitle(flow, title);
    auto& doc = flow.doc();
    const double top = flow.y() + 12, left = kMargin + axisWidth, width = flow.width() - axisWidth;
    double maximum = 0;
    for (const auto& b : bars) maximum = std::max(maximum, b.value);
    const double step = niceStep(maximum), axisTop = std::max(step, std::ceil(maximum / step) * step);
    for (double v = 0; v <= axisTop + step / 2; v += step) {  // grid and value axis
        const double y = top + height - v / axisTop * height;
        doc.setColor(kGrid);
        doc.line(left, y, left + width, y, 0.5);
        doc.setColor(kBlack);
        doc.text(kMargin, y - 5, axisWidth - 4, number(v), TextStyle{8, Weight::Regular, Align::Right});
    }
    const double slot = width / std::max<std::size_t>(1, bars.size()), barWidth = slot * 0.6;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double x = left + slot * i + (slot - barWidth) / 2, h = bars[i].value / axisTop * height;
        doc.fillRectangle(x, top + height - h, barWidth, h, kBarColor);
        doc.setColor(kBlack);
        doc.text(left + slot * i, top + height - h - 12, slot, number(bars[i].value), label);
        doc.text(left + slot * i, top + height + 3, slot, bars[i].label, label);
    }
    doc.line(left, top + height, left + width, top + height, 0.8);
    flow.space(height + labelHeight + 22);
}

void drawHorizontalBarChart(Flow& flow, const std::string& title, const std::vector<Bar>& bars) {
    const TextStyle label{9, Weight::Regular, Align::Right, 0.1};
    const double rowHeight = 18, labelWidth = 150, valueWidth = 40;
    flow.keep(rowHeight * static_cast<double>(bars.size()) + 30);
    chartTitle(flow, title);
    auto& doc = flow.doc();
    double maximum = 1;
    for (const auto& b : bars) maximum = std::max(maximum, b.value);
    const double left = kMargin + labelWidth + 6, width = flow.width() - labelWidth - 6 - valueWidth;
    for (const auto& b : bars) {
        const double y = flow.y();
        doc.setColor(kBlack);
        doc.text(kMargin, y + 3, labelWidth, b.label, label);
        const double w = b.value / maximum * width;
        doc.fillRectangle(left, y + 3, w, rowHeight - 6, kBarColor);
        doc.setColor(kBlack);
        doc.text(left + w + 4, y + 3, valueWidth, number(b.value), TextStyle{9, Weight::Regular, Align::Left, 0.1});
        flow.space(rowHeight);
    }
    doc.line(left, flow.y() - rowHeight * static_cast<double>(bars.size()), left, flow.y(), 0.8);
    flow.space(12);
}

void drawStackedBar(Flow& flow, const std::string& title, const std::vector<Bar>& parts,
                    const std::vector<Rgb>& colors) {
    const double barHeight = 28, legendRow = 16;
    flow.keep(barHeight + legendRow * static_cast<double>(parts.size()) / 2 + 50);
    chartTitle(flow, title);
    auto& doc = flow.doc();
    double total = 0;
    for (const auto& p : parts) total += p.value;
    double x = kMargin;
    const double top = flow.y();
    for (std::size_t i = 0; i < parts.size() && total > 0; ++i) {
        const double w = parts[i].value / total * flow.width();
        doc.fillRectangle(x, top, w, barHeight, colors[i % colors.size()]);
        if (w > 34) {  // the share inside the segment, when it fits
            doc.setColor({1, 1, 1});
            doc.text(x, top + 8, w, percent(parts[i].value / total), TextStyle{9, Weight::Bold, Align::Center});
        }
        x += w;
    }
    doc.setColor(kBlack);
    doc.rectangle(kMargin, top, flow.width(), barHeight, 0.6);
    flow.space(barHeight + 10);
    const double column = flow.width() / 2;
    for (std::size_t i = 0; i < parts.size(); ++i) {  // legend in two columns
        const double lx = kMargin + column * static_cast<double>(i % 2), ly = flow.y();
        doc.fillRectangle(lx, ly + 3, 10, 10, colors[i % colors.size()]);
        doc.setColor(kBlack);
        const auto share = total > 0 ? std::optional<double>(parts[i].value / total) : std::nullopt;
        doc.text(lx + 16, ly + 1, column - 20,
                 parts[i].label + "　" + number(parts[i].value) + "件（" + percent(share) + "）",
                 TextStyle{10, Weight::Regular, Align::Left});
        if (i % 2 == 1 || i + 1 == parts.size()) flow.space(legendRow);
    }
    flow.space(12);
}

}  // namespace complaintd::documents::detail
