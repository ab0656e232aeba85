// input_queue.cpp: see input_queue.hpp for the rules a frame follows when it takes events.
#include "app/input_queue.hpp"

namespace mlpviz::app {

InputQueue::InputQueue() : ring_(kCapacity) {
  batch_.keys.reserve(kMaxBatchKeys);
  batch_.chars.reserve(kMaxBatchChars);
}

void InputQueue::cursor(double x, double y) {
  Event e;
  e.kind = Kind::Move;
  e.x = x;
  e.y = y;
  push(e);
}

void InputQueue::cursor_left() {
  Event e;
  e.kind = Kind::Leave;
  push(e);
}

void InputQueue::button(int button, bool down) {
  if (button < 0 || button >= kButtons) return;
  Event e;
  e.kind = Kind::Button;
  e.code = button;
  e.down = down;
  push(e);
}

void InputQueue::wheel(double dx, double dy) {
  Event e;
  e.kind = Kind::Wheel;
  e.x = dx;
  e.y = dy;
  push(e);
}

void InputQueue::key(int key, bool down, int mods) {
  if (key < 0 || key >= kKeys) return;  // GLFW_KEY_UNKNOWN (-1): nothing ImGui or a shortcut knows
  Event e;
  e.kind = Kind::Key;
  e.code = key;
  e.down = down;
  e.mods = mods;
  push(e);
}

void InputQueue::text(unsigned int codepoint) {
  Event e;
  e.kind = Kind::Text;
  e.code = static_cast<int>(codepoint);
  push(e);
}

void InputQueue::push(Event e) {
  e.frame = frames_;
  const auto is_move = [](Kind k) { return k == Kind::Move || k == Kind::Leave; };
  if (count_ > 0) {
    // Merging with the newest waiting event loses nothing: a frame that takes the first of two
    // consecutive moves (or wheels) always takes the second, the rules being the same for both.
    Event& last = at(count_ - 1);
    if (is_move(e.kind) && is_move(last.kind)) {
      last = e;
      return;
    }
    if (e.kind == Kind::Wheel && last.kind == Kind::Wheel) {
      last.x += e.x;
      last.y += e.y;
      return;
    }
  }
  if (count_ == ring_.size()) fold_front();  // full: the oldest goes into the next frame's batch
  at(count_) = e;
  ++count_;
}

void InputQueue::fold_front() {
  apply(at(0), batch_, true);
  batch_pending_ = true;
  pop_front();
}

void InputQueue::pop_front() {
  head_ = (head_ + 1) % ring_.size();
  --count_;
}

void InputQueue::apply(const Event& e, FrameInput& out, bool bounded) {
  switch (e.kind) {
    case Kind::Move:
      state_.pos_valid = true;
      state_.x = e.x;
      state_.y = e.y;
      break;
    case Kind::Leave: state_.pos_valid = false; break;
    case Kind::Button: state_.down[static_cast<std::size_t>(e.code)] = e.down; break;
    case Kind::Wheel:
      out.wheel_x += e.x;
      out.wheel_y += e.y;
      break;
    case Kind::Key: {
      const std::size_t k = static_cast<std::size_t>(e.code);
      if (state_.keys[k] == e.down) break;  // already so (e.g. a second press): nothing happens
      // A full batch drops presses (and so their releases) but keeps the releases of keys ImGui
      // was told are down: no key stays stuck. Releases after the cap: at most kKeys.
      if (bounded && e.down && out.keys.size() >= kMaxBatchKeys) {
        ++dropped_;
        break;
      }
      state_.keys[k] = e.down;
      out.keys.push_back({e.code, e.down, e.mods});
      break;
    }
    case Kind::Text:
      if (bounded && out.chars.size() >= kMaxBatchChars) {
        ++dropped_;
        break;
      }
      out.chars.push_back(static_cast<unsigned int>(e.code));
      break;
  }
}

void InputQueue::next_frame(FrameInput& out, bool text_input) {
  out.keys.clear();
  out.chars.clear();
  out.wheel_x = out.wheel_y = 0.0;
  out.events = 0;
  while (count_ > 0 && frames_ - at(0).frame > kMaxLagFrames) fold_front();  // too late: at once
  ++frames_;
  if (batch_pending_) {
    // The folded batch is a frame of its own, before anything still waiting.
    out.keys.swap(batch_.keys);
    out.chars.swap(batch_.chars);
    out.wheel_x = batch_.wheel_x;
    out.wheel_y = batch_.wheel_y;
    batch_.keys.clear();
    batch_.chars.clear();
    batch_.wheel_x = batch_.wheel_y = 0.0;
    batch_pending_ = false;
  } else {
    unsigned changed = 0;     // buttons that changed this frame
    unsigned moved_held = 0;  // buttons held while the cursor moved this frame
    bool moved = false, wheeled = false, key_changed = false, texted = false;
    std::bitset<kKeys> keys_changed;
    while (count_ > 0) {
      const Event& e = at(0);
      bool wait = false;
      switch (e.kind) {
        case Kind::Move:
        case Kind::Leave: {
          const bool same = e.kind == Kind::Leave ? !state_.pos_valid
                                                  : state_.pos_valid && state_.x == e.x && state_.y == e.y;
          if (same) break;
          if (changed != 0 || wheeled || key_changed || texted) {
            wait = true;
            break;
          }
          moved = true;
          for (int b = 0; b < kButtons; ++b)
            if (state_.down[static_cast<std::size_t>(b)]) moved_held |= 1u << b;
          break;
        }
        case Kind::Button: {
          const unsigned bit = 1u << e.code;
          if (state_.down[static_cast<std::size_t>(e.code)] == e.down) break;
          if ((changed & bit) != 0 || wheeled || (!e.down && (moved_held & bit) != 0)) {
            wait = true;
            break;
          }
          changed |= bit;
          break;
        }
        case Kind::Wheel:
          if (moved || changed != 0) {
            wait = true;
            break;
          }
          wheeled = true;
          break;
        case Kind::Key: {
          const std::size_t k = static_cast<std::size_t>(e.code);
          if (state_.keys[k] == e.down) break;
          if (keys_changed[k] || (text_input && texted) || changed != 0) {
            wait = true;
            break;
          }
          key_changed = true;
          keys_changed.set(k);
          break;
        }
        case Kind::Text:
          if ((text_input && key_changed) || changed != 0 || moved || wheeled) {
            wait = true;
            break;
          }
          texted = true;
          break;
      }
      if (wait) break;
      apply(e, out, false);
      pop_front();
      ++out.events;
    }
  }
  out.pos_valid = state_.pos_valid;
  out.x = state_.x;
  out.y = state_.y;
  out.down = state_.down;
  out.more = !empty();
}

}  // namespace mlpviz::app
