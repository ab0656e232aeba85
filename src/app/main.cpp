// mlpviz: entry point. See cli.hpp for the commands and gui.hpp for the window.
#include "app/cli.hpp"

int main(int argc, char** argv) { return mlpviz::app::run_cli(argc, argv); }
