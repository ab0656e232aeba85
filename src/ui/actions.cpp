#include "ui/actions.hpp"

namespace mlpviz::ui {

namespace cmd = train::cmd;

void set_notice(UiState& st, const FrameInfo& fi, std::string text, bool error, std::string key) {
  st.notice = std::move(text);
  st.notice_is_error = error;
  st.notice_key = std::move(key);
  st.notice_until = fi.time_s + (error ? 15.0 : 6.0);
}

void clear_notice(UiState& st, const std::string& key) {
  if (key.empty() || st.notice_key != key) return;
  st.notice.clear();
  st.notice_key.clear();
  st.notice_until = 0.0;
}

bool notice_up(const UiState& st, const FrameInfo& fi, const std::string& key) {
  return !st.notice.empty() && st.notice_key == key && fi.time_s < st.notice_until;
}

void toggle_play(const FrameInfo& fi, FrameOutput& out) {
  if (fi.snap->state == train::RunState::Running) out.commands.push_back(cmd::Pause{});
  else out.commands.push_back(cmd::Play{});
}

void step_once(FrameOutput& out) { out.commands.push_back(cmd::Step{1}); }

void reset_weights(FrameOutput& out, bool new_weights) { out.commands.push_back(cmd::Reset{new_weights}); }

void new_data_sample(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  if (st.edit.data.kind == core::DataKind::Custom) {
    set_notice(st, fi, "custom points: pick a problem under Data to generate a new sample", false);
    return;
  }
  ++st.edit.data.seed;
  out.commands.push_back(cmd::SetData{st.edit.data});
}

void fit_view(UiState& st) { st.plane.units_per_px = 0.0; }

void undo_points(FrameOutput& out) { out.commands.push_back(cmd::UndoPoints{}); }

void ask_open_session(UiState& st) { st.open_dialog = Dialog::OpenSession; }

void ask_save_session(UiState& st, const std::string& known_path, bool save_as) {
  if (!save_as && !known_path.empty()) {
    st.requests.save_session = true;
    st.requests.path = known_path;
    return;
  }
  if (st.session_path.empty()) st.session_path = known_path.empty() ? "session.mlpviz.json" : known_path;  // the name the MIME type knows
  st.open_dialog = Dialog::SaveSession;
}

}  // namespace mlpviz::ui
