// cli_lessons.cpp: `mlpviz lessons`: the lessons this install ships, in menu order.
//
// One line per lesson: its name (the id `mlpviz train --lesson NAME` takes), its title and how
// many steps it has. A lesson file that does not load is reported on standard error (exit 1)
// after the list of those that do.
#include <cstdio>
#include <iostream>

#include "app/cli_common.hpp"
#include "train/lesson.hpp"

namespace mlpviz::app::cli {

Command add_lessons_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("lessons",
                                 "List the lessons (name, title, steps); run one with `train --lesson NAME "
                                 "[--lesson-step K]` or open it from the window's Lessons menu");
  return {cmd, [] {
            const train::LessonList list = train::list_lessons();
            for (const train::Lesson& l : list.lessons) {
              char buf[256];
              std::snprintf(buf, sizeof buf, "%-26s %s", l.name.c_str(), l.title.c_str());
              std::cout << buf;
              if (l.step_count() > 1) std::cout << "  (steps 1-" << l.step_count() << ")";
              std::cout << "\n";
            }
            for (const std::string& e : list.errors) std::cerr << "mlpviz: " << e << "\n";
            return list.errors.empty() ? 0 : 1;
          }};
}

}  // namespace mlpviz::app::cli
