namespace mlpviz::ui {}
