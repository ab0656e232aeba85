// input_queue.hpp: the window's mouse and keyboard events, recorded in order as GLFW reports them
// and handed to ImGui a frame at a time, so that nothing typed or clicked during a long frame is
// lost (issue 8: "input during the switch is never lost").
//
// Why: ImGui 1.86's GLFW backend samples the mouse once per frame (io.MouseDown = "pressed since
// the last frame or held now", io.MousePos = the cursor at NewFrame) and sets io.KeysDown from its
// key callback. A press and a release inside one long frame arrive as one click at the position
// the cursor has when the frame ends: a quick drag on a slider becomes a click wherever the drag
// ended (often off the slider), and a key tapped during the frame is never seen down.
//
// What: the rules of ImGui 1.87's input queue ("trickling", imgui.cpp UpdateInputEvents), applied
// by us before a 1.86 NewFrame. Each frame takes events from the front of the queue until one
// would conflict with what the frame already holds; that one and everything after it wait:
//   - a button changes at most once per frame (a press and its release land in two frames);
//   - a cursor move waits after a button change, a wheel, a key change or text in the frame
//     (a position is delivered with the button transition it belongs to: the press's position
//     with the press, the next positions in the next frame);
//   - a button release waits when the cursor moved in this frame while that button was held
//     (ours, not 1.87's: ImGui 1.86's sliders and drags read the cursor only while the button is
//     down, so a drag's last stretch must be seen with the button held, and the release after it);
//   - a wheel waits after a move or a button change;
//   - a key changes at most once per frame, and waits after a button change;
//   - text waits after a move, a button change or a wheel;
//   - while a text field has the keyboard (next_frame's `text_input`), a key also waits after
//     text and text after a key change, so "12<Backspace>3" is edited in order (ImGui 1.86's
//     text field reads a frame's characters before its keys); otherwise keys and text share
//     frames (as ImGui 1.88 does: a shortcut's key and its character are not split).
// Consecutive moves (and consecutive wheels) are merged as they are recorded: a frame would take
// them together anyway. Key repeats are dropped (ImGui makes its own from how long a key is down).
//
// Lag and memory are bounded: an event recorded more than kMaxLagFrames frames ago, or the oldest
// when one more arrives and kCapacity wait, is folded into a batch that the next frame delivers
// whole, without the rules above (the state after it is right; the frame boundaries between the
// folded events are lost, so a click folded with its release is not seen). When frames are slow
// (the abuse test once saw 0.4 to 8 per second on llvmpipe) and input keeps coming, input is so
// never more than kMaxLagFrames frames behind. The batch keeps at most
// kMaxBatchKeys key presses and kMaxBatchChars characters, and counts what it had to drop.
//
// No GLFW or ImGui here (tests/test_input_queue.cpp drives it directly): buttons and keys are
// GLFW's numbers, positions are window pixels. app/gui_input.cpp records GLFW's callbacks and
// applies each FrameInput to ImGuiIO. Thread ownership: the UI thread only (GLFW callbacks run
// inside glfwPollEvents).
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mlpviz::app {

class InputQueue {
 public:
  static constexpr int kButtons = 5;        // ImGui's mouse buttons (ImGuiMouseButton_COUNT); GLFW's 0..4
  static constexpr int kKeys = 512;         // ImGuiIO::KeysDown's size; GLFW_KEY_LAST is 348
  static constexpr std::size_t kCapacity = 1024;   // events waiting, at most
  static constexpr std::uint64_t kMaxLagFrames = 120;  // frames an event may wait before it is folded
  static constexpr std::size_t kMaxBatchKeys = 256;   // key events in a folded batch, at most
  static constexpr std::size_t kMaxBatchChars = 256;  // characters in a folded batch, at most

  struct KeyEvent {
    int key = 0;
    bool down = false;
    int mods = 0;  // GLFW_MOD_* bits as GLFW reported them with this event
  };

  // What one frame hands to ImGui: the state at the end of its events, and its key and text
  // events in order.
  struct FrameInput {
    bool pos_valid = false;  // false: the cursor is outside the window (or was never seen)
    double x = 0.0, y = 0.0;
    std::array<bool, kButtons> down{};
    double wheel_x = 0.0, wheel_y = 0.0;
    std::vector<KeyEvent> keys;        // transitions (down or up), in order
    std::vector<unsigned int> chars;   // Unicode code points, in order
    bool more = false;                 // events still wait: draw the next frame without waiting
    std::size_t events = 0;            // events this frame took from the queue (tests)
  };

  InputQueue();

  // Recording (GLFW's callbacks). Out-of-range buttons and keys are ignored.
  void cursor(double x, double y);      // the cursor moved (window pixels)
  void cursor_left();                   // the cursor left the window
  void button(int button, bool down);   // GLFW_PRESS: down
  void wheel(double dx, double dy);
  void key(int key, bool down, int mods);  // GLFW_PRESS: down; callers drop GLFW_REPEAT
  void text(unsigned int codepoint);

  // The next frame's input, written into `out` (its vectors keep their capacity: no allocation
  // in a steady state). text_input: a text field had the keyboard in the frame just drawn.
  void next_frame(FrameInput& out, bool text_input = true);

  std::size_t size() const { return count_; }          // events waiting
  bool empty() const { return count_ == 0 && !batch_pending_; }
  std::size_t dropped() const { return dropped_; }    // key events and characters lost to the caps

 private:
  enum class Kind { Move, Leave, Button, Wheel, Key, Text };
  struct Event {
    Kind kind = Kind::Move;
    double x = 0.0, y = 0.0;  // Move: position; Wheel: offsets
    int code = 0;             // Button: button; Key: key; Text: code point
    bool down = false;
    int mods = 0;
    std::uint64_t frame = 0;  // frames_ when it was recorded
  };
  struct State {  // what ImGui has been given (or will be, with the folded batch)
    bool pos_valid = false;
    double x = 0.0, y = 0.0;
    std::array<bool, kButtons> down{};
    std::bitset<kKeys> keys;
  };

  void push(Event e);
  void fold_front();  // the oldest waiting event into the batch
  Event& at(std::size_t i) { return ring_[(head_ + i) % ring_.size()]; }
  const Event& at(std::size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  void pop_front();
  // Applies e to state_ and to `out`'s wheel, keys and chars (bounded by the batch caps when
  // `bounded`).
  void apply(const Event& e, FrameInput& out, bool bounded);

  std::vector<Event> ring_;  // kCapacity slots, allocated once
  std::size_t head_ = 0, count_ = 0;
  State state_;
  FrameInput batch_;  // folded events for the next frame
  bool batch_pending_ = false;
  std::size_t dropped_ = 0;
  std::uint64_t frames_ = 0;  // next_frame calls so far
};

}  // namespace mlpviz::app
