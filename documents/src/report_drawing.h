// Private: the tables and charts of the annual report, drawn into a Flow so
// that each starts on a new page when it would not fit. Labels are zh-TW,
// set with pango like all text; charts use a few print-safe colours that
// stay distinct in grey scale.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pdf_document.h"

namespace complaintd::documents::detail {

struct TableColumn {
    std::string heading;
    double width = 0;  // points; the widths of a table add up to at most the flow's width
    Align align = Align::Right;
};

// A grid with a shaded heading row; rows go to the next page between rows, repeating the heading.
void drawTable(Flow& flow, const std::vector<TableColumn>& columns, const std::vector<std::vector<std::string>>& rows,
               double fontSize = 10);

struct Bar {
    std::string label;
    double value = 0;
};

// Vertical bars with each value above its bar and its label below, `height` points tall.
void drawBarChart(Flow& flow, const std::string& title, const std::vector<Bar>& bars, double height);

// Horizontal bars, for long labels (units, reasons): one row per bar.
void drawHorizontalBarChart(Flow& flow, const std::string& title, const std::vector<Bar>& bars);

// One bar the full width split by share (100%), with a legend giving count and percentage.
// `colors` gives one colour per part; parts of zero are left out of the bar but kept in the legend.
void drawStackedBar(Flow& flow, const std::string& title, const std::vector<Bar>& parts,
                    const std::vector<Rgb>& colors);

// "85.7%", or "－" when there is nothing to divide.
std::string percent(std::optional<double> ratio);

}  // namespace complaintd::documents::detail
