// test_input_queue.cpp: the window's input queue (app/input_queue.hpp) without a window: events
// recorded as GLFW would report them during one long frame, then handed out frame by frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/input_queue.hpp"

namespace {

using mlpviz::app::InputQueue;

// GLFW's numbers (GLFW/glfw3.h), written out: the queue knows no GLFW.
constexpr int kLeft = 0, kRight = 1;
constexpr int kKeyS = 83, kKey1 = 49, kKey2 = 50, kKey3 = 51, kKeyBackspace = 259, kKeyEnter = 257;
constexpr int kKeyLeftCtrl = 341, kModCtrl = 0x0002;

// Frames until the queue is empty (at most `limit`).
std::vector<InputQueue::FrameInput> drain(InputQueue& q, int limit = 100000) {
  std::vector<InputQueue::FrameInput> frames;
  for (int i = 0; i < limit; ++i) {
    InputQueue::FrameInput f;
    q.next_frame(f);
    frames.push_back(f);
    if (!f.more) break;
  }
  return frames;
}

TEST(InputQueue, EmptyQueueKeepsTheStateAndAsksForNothing) {
  InputQueue q;
  InputQueue::FrameInput f;
  q.next_frame(f);
  EXPECT_FALSE(f.pos_valid);  // never seen: ImGui gets "no mouse"
  EXPECT_FALSE(f.more);
  EXPECT_EQ(f.events, 0u);
  q.cursor(5, 6);
  q.next_frame(f);
  q.next_frame(f);
  EXPECT_TRUE(f.pos_valid);
  EXPECT_EQ(f.x, 5);
  EXPECT_EQ(f.y, 6);
  EXPECT_TRUE(q.empty());
}

// The bug: ImGui 1.86 saw a press and a release inside one frame as nothing held (or one click
// at the frame's end position). Now: down in one frame, up in the next.
TEST(InputQueue, PressAndReleaseInOneFrameBecomeTwoFrames) {
  InputQueue q;
  q.cursor(10, 20);
  q.button(kLeft, true);
  q.button(kLeft, false);
  const auto frames = drain(q);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].down[kLeft]);
  EXPECT_TRUE(frames[0].pos_valid);
  EXPECT_EQ(frames[0].x, 10);  // the press with its own position
  EXPECT_EQ(frames[0].y, 20);
  EXPECT_TRUE(frames[0].more);  // the app must draw the next frame without waiting
  EXPECT_FALSE(frames[1].down[kLeft]);
  EXPECT_FALSE(frames[1].more);
}

TEST(InputQueue, DoubleClickInOneFrameIsFourTransitions) {
  InputQueue q;
  q.cursor(1, 1);
  for (int i = 0; i < 2; ++i) {
    q.button(kLeft, true);
    q.button(kLeft, false);
  }
  const auto frames = drain(q);
  std::vector<bool> seen;
  for (const auto& f : frames) seen.push_back(f.down[kLeft]);
  EXPECT_EQ(seen, (std::vector<bool>{true, false, true, false}));
}

TEST(InputQueue, TwoButtonsMayChangeInTheSameFrame) {
  InputQueue q;
  q.button(kLeft, true);
  q.button(kRight, true);
  InputQueue::FrameInput f;
  q.next_frame(f);
  EXPECT_TRUE(f.down[kLeft]);
  EXPECT_TRUE(f.down[kRight]);
  EXPECT_FALSE(f.more);
}

// A quick drag on a slider, all inside one frame: the press where it started, the cursor's path
// with the button held, the release only after the last position (ImGui 1.86's slider reads the
// cursor only while the button is down).
TEST(InputQueue, DragPathIsDeliveredInOrderWithTheButtonHeld) {
  InputQueue q;
  q.cursor(100, 50);
  q.button(kLeft, true);
  q.cursor(90, 50);
  q.cursor(70, 50);
  q.cursor(40, 50);  // consecutive moves: one frame would take them together
  q.button(kLeft, false);
  q.cursor(300, 400);
  const auto frames = drain(q);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_TRUE(frames[0].down[kLeft]);
  EXPECT_EQ(frames[0].x, 100);  // pressed where the drag started
  EXPECT_TRUE(frames[1].down[kLeft]);
  EXPECT_EQ(frames[1].x, 40);  // dragged to where it ended, still held
  EXPECT_FALSE(frames[2].down[kLeft]);
  EXPECT_EQ(frames[2].x, 40);  // released there
  EXPECT_EQ(frames[3].x, 300);  // then the cursor moves on
  EXPECT_EQ(frames[3].y, 400);
}

// A path whose moves cannot merge (a wheel between them): every position reaches ImGui, in the
// order made, each with the button held; the release comes after the last.
TEST(InputQueue, LongDragPathKeepsEveryStageInOrder) {
  InputQueue q;
  q.cursor(0, 0);
  q.button(kLeft, true);
  for (int i = 1; i <= 20; ++i) {
    q.cursor(10.0 * i, 0);
    q.wheel(0, 1);
  }
  q.button(kLeft, false);
  const auto frames = drain(q);
  std::vector<double> held_x;
  double wheel = 0;
  bool released = false;
  for (const auto& f : frames) {
    wheel += f.wheel_y;
    if (f.down[kLeft]) {
      EXPECT_FALSE(released) << "pressed again after the release";
      if (held_x.empty() || held_x.back() != f.x) held_x.push_back(f.x);
    } else {
      released = true;
      EXPECT_EQ(f.x, 200);  // released at the end of the path
    }
  }
  EXPECT_TRUE(released);
  std::vector<double> expected;
  for (int i = 0; i <= 20; ++i) expected.push_back(10.0 * i);
  EXPECT_EQ(held_x, expected);
  EXPECT_EQ(wheel, 20);  // no wheel lost
}

TEST(InputQueue, WheelWaitsForTheFrameAfterAMoveAndMerges) {
  InputQueue q;
  q.cursor(3, 4);
  q.wheel(0, 1);
  q.wheel(0.5, 2);
  EXPECT_EQ(q.size(), 2u);  // the two wheels merged
  const auto frames = drain(q);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].wheel_y, 0);
  EXPECT_EQ(frames[1].wheel_y, 3);
  EXPECT_EQ(frames[1].wheel_x, 0.5);
}

TEST(InputQueue, LeavingTheWindowHidesTheCursor) {
  InputQueue q;
  q.cursor(3, 4);
  q.cursor_left();
  InputQueue::FrameInput f;
  q.next_frame(f);
  EXPECT_FALSE(f.pos_valid);
}

// Ctrl+S typed inside one frame: both presses in the first frame (the shortcut, with its mods),
// the releases in the next. ImGui 1.86 saw nothing of it.
TEST(InputQueue, KeyTapInOneFrameIsDownThenUp) {
  InputQueue q;
  q.key(kKeyLeftCtrl, true, 0);
  q.key(kKeyS, true, kModCtrl);
  q.key(kKeyS, false, kModCtrl);
  q.key(kKeyLeftCtrl, false, kModCtrl);
  q.key(-1, true, 0);  // GLFW_KEY_UNKNOWN: ignored
  const auto frames = drain(q);
  ASSERT_EQ(frames.size(), 2u);
  ASSERT_EQ(frames[0].keys.size(), 2u);
  EXPECT_EQ(frames[0].keys[0].key, kKeyLeftCtrl);
  EXPECT_TRUE(frames[0].keys[0].down);
  EXPECT_EQ(frames[0].keys[1].key, kKeyS);
  EXPECT_TRUE(frames[0].keys[1].down);
  EXPECT_EQ(frames[0].keys[1].mods, kModCtrl);
  ASSERT_EQ(frames[1].keys.size(), 2u);
  EXPECT_FALSE(frames[1].keys[0].down);
  EXPECT_FALSE(frames[1].keys[1].down);
}

// Ctrl+click (type a value into a slider): Ctrl is down in the frame of the press.
TEST(InputQueue, CtrlClickKeepsCtrlDownWithThePress) {
  InputQueue q;
  q.cursor(10, 10);
  q.key(kKeyLeftCtrl, true, 0);
  q.button(kLeft, true);
  q.button(kLeft, false);
  q.key(kKeyLeftCtrl, false, kModCtrl);
  const auto frames = drain(q);
  bool ctrl = false, pressed_with_ctrl = false, was_down = false;
  for (const auto& f : frames) {
    for (const auto& k : f.keys)
      if (k.key == kKeyLeftCtrl) ctrl = k.down;
    if (f.down[kLeft] && !was_down) pressed_with_ctrl = ctrl;
    was_down = f.down[kLeft];
  }
  EXPECT_TRUE(pressed_with_ctrl);
  EXPECT_FALSE(ctrl);
  EXPECT_FALSE(was_down);
}

// "12", Backspace, "3" typed inside one frame. ImGui 1.86's text field reads a frame's characters
// before its keys: in one frame that edits to "12"; frame by frame, to "13".
TEST(InputQueue, TypingAndEditingKeepTheirOrder) {
  InputQueue q;
  const auto type = [&](int key, unsigned int c) {
    q.key(key, true, 0);
    q.text(c);
    q.key(key, false, 0);
  };
  type(kKey1, '1');
  type(kKey2, '2');
  q.key(kKeyBackspace, true, 0);
  q.key(kKeyBackspace, false, 0);
  type(kKey3, '3');
  q.key(kKeyEnter, true, 0);
  q.key(kKeyEnter, false, 0);
  std::string field;
  bool entered = false;
  for (const auto& f : drain(q)) {
    for (unsigned int c : f.chars) field += static_cast<char>(c);
    if (entered) {  // after Enter: only releases
      EXPECT_TRUE(f.chars.empty());
      for (const auto& k : f.keys) EXPECT_FALSE(k.down);
    }
    for (const auto& k : f.keys) {
      if (k.down && k.key == kKeyBackspace && !field.empty()) field.pop_back();
      if (k.down && k.key == kKeyEnter) entered = true;
    }
    // Text and key changes never share a frame: the model above is then ImGui's order.
    EXPECT_TRUE(f.chars.empty() || f.keys.empty());
  }
  EXPECT_EQ(field, "13");
  EXPECT_TRUE(entered);
}

// No text field has the keyboard: a key and its character share a frame (a shortcut typed in one
// frame is not spread over three).
TEST(InputQueue, KeysAndTextShareFramesOutsideTextFields) {
  InputQueue q;
  q.key(kKeyS, true, 0);
  q.text('s');
  q.key(kKeyS, false, 0);
  InputQueue::FrameInput f;
  q.next_frame(f, false);
  EXPECT_EQ(f.keys.size(), 1u);
  EXPECT_EQ(f.chars.size(), 1u);
  q.next_frame(f, false);  // the same key's release: the next frame
  EXPECT_EQ(f.keys.size(), 1u);
  EXPECT_FALSE(f.more);
}

// Slow frames and input that keeps coming: nothing waits more than kMaxLagFrames frames. Here
// 300 clicks (600 frames' worth, within kCapacity) arrive before one frame: after kMaxLagFrames
// frames the rest is delivered at once, and the state ends right.
TEST(InputQueue, LagIsBoundedInFrames) {
  InputQueue q;
  for (int i = 0; i < 300; ++i) {
    q.cursor(i, i);
    q.button(kLeft, true);
    q.button(kLeft, false);
  }
  q.cursor(-5, 7);
  ASSERT_LT(q.size(), InputQueue::kCapacity);
  const auto frames = drain(q);
  EXPECT_LE(frames.size(), InputQueue::kMaxLagFrames + 2);
  EXPECT_GE(frames.size(), InputQueue::kMaxLagFrames);  // trickled until then
  EXPECT_TRUE(frames[0].down[kLeft]);
  EXPECT_FALSE(frames[1].down[kLeft]);  // the first clicks still frame by frame
  EXPECT_FALSE(frames.back().down[kLeft]);
  EXPECT_EQ(frames.back().x, -5);
  EXPECT_EQ(frames.back().y, 7);
}

// Bounded memory: a flood far beyond the capacity. The queue never holds more than kCapacity
// events; the overflow is delivered as one batch frame (capped), and the state at the end is
// the last event's: no button or key stuck down, the last position.
TEST(InputQueue, FloodStaysBoundedAndEndsInTheRightState) {
  InputQueue q;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    q.cursor(i % 1000, i % 700);
    q.button(kLeft, true);
    q.key(kKey1 + i % 3, true, 0);
    q.text('a' + static_cast<unsigned int>(i % 26));
    q.key(kKey1 + i % 3, false, 0);
    q.button(kLeft, false);
    ASSERT_LE(q.size(), InputQueue::kCapacity);
  }
  q.cursor(12, 34);
  EXPECT_GT(q.dropped(), 0u);
  std::vector<bool> key_down(InputQueue::kKeys, false);
  const auto frames = drain(q);
  ASSERT_FALSE(frames.back().more) << "not drained";
  ASSERT_LE(frames.size(), InputQueue::kCapacity + 1);  // each frame takes at least one event
  EXPECT_LE(frames[0].keys.size(), InputQueue::kMaxBatchKeys + InputQueue::kKeys);
  EXPECT_LE(frames[0].chars.size(), InputQueue::kMaxBatchChars);
  for (const auto& f : frames) {
    EXPECT_LE(f.chars.size(), InputQueue::kCapacity);
    for (const auto& k : f.keys) {
      EXPECT_NE(key_down[static_cast<std::size_t>(k.key)], k.down) << "a key event that changes nothing";
      key_down[static_cast<std::size_t>(k.key)] = k.down;
    }
  }
  EXPECT_EQ(std::count(key_down.begin(), key_down.end(), true), 0) << "a key stuck down";
  EXPECT_FALSE(frames.back().down[kLeft]);
  EXPECT_EQ(frames.back().x, 12);
  EXPECT_EQ(frames.back().y, 34);
  EXPECT_TRUE(q.empty());
}

// Moves alone never fill the queue: they merge.
TEST(InputQueue, AMillionMovesAreOneEvent) {
  InputQueue q;
  for (int i = 0; i < 1000000; ++i) q.cursor(i, -i);
  EXPECT_EQ(q.size(), 1u);
  InputQueue::FrameInput f;
  q.next_frame(f);
  EXPECT_EQ(f.x, 999999);
  EXPECT_FALSE(f.more);
}

TEST(InputQueue, OutOfRangeButtonsAreIgnored) {
  InputQueue q;
  q.button(-1, true);
  q.button(InputQueue::kButtons, true);
  q.key(InputQueue::kKeys, true, 0);
  EXPECT_TRUE(q.empty());
}

}  // namespace
