// run_log_panel.cpp: the run log (View > Run log): a row per run the window's network ended
// (finished, diverged, or replaced by a new run after taking steps; train::RunWatcher decides),
// sortable by any column (click a header), exported as CSV for a lab report (a file, through the
// App, or the clipboard).
#include <imgui.h>
#include <imgui_stdlib.h>

#include "train/run_log.hpp"
#include "ui/panels.hpp"

namespace mlpviz::ui {

void draw_run_log_panel(UiState& st, const FrameInfo& fi) {
  if (!st.show_run_log) return;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(em * 48, em * 18), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Run log", &st.show_run_log)) {
    ImGui::End();
    return;
  }
  const train::RunLog* log = fi.run_log;
  const std::size_t n = log ? log->entries().size() : 0;
  if (st.run_log_text.size() > n * train::run_log_columns().size()) st.run_log_text.clear();  // a new log
  if (n == 0) ImGui::TextDisabled("No run has ended yet: a run is logged when it finishes, diverges or is replaced.");
  // Export: a file written by the App (the path as typed), or the clipboard.
  ImGui::SetNextItemWidth(em * 16);
  ImGui::InputText("##runlogpath", &st.run_log_path);
  ImGui::SameLine();
  if (ImGui::Button("Export CSV") && !st.run_log_path.empty() && n > 0) st.requests.export_run_log = true;
  ImGui::SameLine();
  if (ImGui::Button("Copy CSV") && n > 0) ImGui::SetClipboardText(log->to_csv().c_str());
  if (n == 0) {
    ImGui::End();
    return;
  }
  const auto& cols = train::run_log_columns();
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("runs", static_cast<int>(cols.size()), flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (std::size_t c = 0; c < cols.size(); ++c) ImGui::TableSetupColumn(cols[c].c_str());
    ImGui::TableHeadersRow();
    // The order: recomputed when the sort changes or a run is appended, not every frame.
    ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
    const bool sorted = specs && specs->SpecsCount > 0;
    if ((specs && specs->SpecsDirty) || st.run_log_order.size() != n) {
      if (sorted)
        st.run_log_order = log->sorted(static_cast<std::size_t>(specs->Specs[0].ColumnIndex),
                                       specs->Specs[0].SortDirection == ImGuiSortDirection_Descending);
      else
        st.run_log_order = log->sorted(0, false);  // by time: the order appended
      if (specs) specs->SpecsDirty = false;
    }
    // The fields as text, formatted once per run (not every frame).
    while (st.run_log_text.size() < n * cols.size()) {
      const std::size_t k = st.run_log_text.size();
      st.run_log_text.push_back(train::run_log_field(log->entries()[k / cols.size()], k % cols.size()));
    }
    for (std::size_t i : st.run_log_order) {
      if (i >= n) continue;
      ImGui::TableNextRow();
      for (std::size_t c = 0; c < cols.size(); ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c));
        ImGui::TextUnformatted(st.run_log_text[i * cols.size() + c].c_str());
      }
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace mlpviz::ui
