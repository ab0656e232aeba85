// gui_input.cpp: the window's mouse and keyboard, through app/input_queue.hpp.
//
// ImGui 1.86's GLFW backend (imgui_impl_glfw.cpp, in Debian's libimgui.a) is kept for what it
// does well (display size, time, focus, cursor shapes, clipboard), and its input callbacks are
// replaced, not patched: App::install_input() sets ours over the ones ImGui_ImplGlfw_InitForOpenGL
// installed, and App::feed_imgui() runs after ImGui_ImplGlfw_NewFrame(), overwriting what the
// backend polled there:
//   mouse button: the backend's only records MouseJustPressed[] (never set now), and NewFrame
//                 then sets io.MouseDown = "just pressed || glfwGetMouseButton()": we overwrite
//                 io.MouseDown with the queue's state;
//   cursor:       the backend has no position callback; NewFrame sets io.MousePos from
//                 glfwGetCursorPos(): we overwrite it with the queue's position;
//   scroll, key, char: the backend's write io.MouseWheel, io.KeysDown[], io.KeyCtrl... and
//                 io.AddInputCharacter at once: ours queue, and feed_imgui applies them in order;
//   cursor enter: chained to the backend's (it tracks the hovered window), and queued (a leave
//                 hides the cursor from ImGui; an enter gives its position before any move).
// The focus callback stays the backend's (io.AddFocusEvent). Shutdown: the destructor puts the
// backend's callbacks back, so ImGui_ImplGlfw_Shutdown restores GLFW as it found it.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>  // GImGui->WantTextInputNextFrame

#include <cfloat>

#include "app/gui_app.hpp"

namespace mlpviz::app {
namespace {

App* app_of(GLFWwindow* window) { return static_cast<App*>(glfwGetWindowUserPointer(window)); }

}  // namespace

void App::install_input() {
  prev_.mouse_button = glfwSetMouseButtonCallback(window_, on_mouse_button);
  prev_.cursor_pos = glfwSetCursorPosCallback(window_, on_cursor_pos);
  prev_.cursor_enter = glfwSetCursorEnterCallback(window_, on_cursor_enter);
  prev_.scroll = glfwSetScrollCallback(window_, on_scroll);
  prev_.key = glfwSetKeyCallback(window_, on_key);
  prev_.chr = glfwSetCharCallback(window_, on_char);
  // A window opened under the pointer (or focused with it inside) gets no enter event from
  // some X servers: its first position, where GLFW knows one.
  if (glfwGetWindowAttrib(window_, GLFW_HOVERED)) {
    double x = 0, y = 0;
    glfwGetCursorPos(window_, &x, &y);
    input_.cursor(x, y);
  }
}

void App::uninstall_input() {
  glfwSetMouseButtonCallback(window_, prev_.mouse_button);
  glfwSetCursorPosCallback(window_, prev_.cursor_pos);
  glfwSetCursorEnterCallback(window_, prev_.cursor_enter);
  glfwSetScrollCallback(window_, prev_.scroll);
  glfwSetKeyCallback(window_, prev_.key);
  glfwSetCharCallback(window_, prev_.chr);
}

void App::on_mouse_button(GLFWwindow* window, int button, int action, int /*mods*/) {
  if (App* app = app_of(window)) app->input_.button(button, action == GLFW_PRESS);
}

void App::on_cursor_pos(GLFWwindow* window, double x, double y) {
  if (App* app = app_of(window)) app->input_.cursor(x, y);
}

void App::on_cursor_enter(GLFWwindow* window, int entered) {
  App* app = app_of(window);
  if (!app) return;
  if (app->prev_.cursor_enter) app->prev_.cursor_enter(window, entered);
  if (entered) {
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    app->input_.cursor(x, y);
  } else {
    app->input_.cursor_left();
  }
}

void App::on_scroll(GLFWwindow* window, double dx, double dy) {
  if (App* app = app_of(window)) app->input_.wheel(dx, dy);
}

// Repeats are dropped: ImGui 1.86 repeats a held key itself (io.KeyRepeatDelay, KeyRepeatRate),
// and the shortcuts act on presses.
void App::on_key(GLFWwindow* window, int key, int /*scancode*/, int action, int mods) {
  App* app = app_of(window);
  if (app && action != GLFW_REPEAT) app->input_.key(key, action == GLFW_PRESS, mods);
}

void App::on_char(GLFWwindow* window, unsigned int codepoint) {
  if (App* app = app_of(window)) app->input_.text(codepoint);
}

void App::feed_imgui() {
  // A text field had the keyboard in the frame just drawn (1.86 sets WantTextInputNextFrame
  // while one is active; io.WantTextInput follows a frame later): keys and text then keep their
  // order across frames.
  const bool text_input = ImGui::GetIO().WantTextInput || GImGui->WantTextInputNextFrame == 1;
  input_.next_frame(frame_input_, text_input);
  const InputQueue::FrameInput& in = frame_input_;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = in.pos_valid ? ImVec2(static_cast<float>(in.x), static_cast<float>(in.y)) : ImVec2(-FLT_MAX, -FLT_MAX);
  static_assert(InputQueue::kButtons == IM_ARRAYSIZE(io.MouseDown), "one queue button per ImGui mouse button");
  static_assert(InputQueue::kKeys == IM_ARRAYSIZE(io.KeysDown), "the queue's keys index io.KeysDown");
  for (int b = 0; b < InputQueue::kButtons; ++b) io.MouseDown[b] = in.down[static_cast<std::size_t>(b)];
  // ImGui clears the wheel at the end of each frame; nobody else writes it now.
  io.MouseWheel = static_cast<float>(in.wheel_y);
  io.MouseWheelH = static_cast<float>(in.wheel_x);
  for (const InputQueue::KeyEvent& k : in.keys) io.KeysDown[k.key] = k.down;
  // As the backend does: modifiers from the keys' state (GLFW's mods are not reliable everywhere).
  io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
  io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
  io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
  io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
  for (unsigned int c : in.chars) io.AddInputCharacter(c);
}

}  // namespace mlpviz::app
