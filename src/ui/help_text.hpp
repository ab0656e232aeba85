// help_text.hpp: one sentence per control about the concept it controls (shown as tooltips), in
// the vocabulary of the lecture notes (level curves, dying ReLU, vanishing gradients, ...).
#pragma once

namespace mlpviz::ui::help {

// Run.
inline constexpr const char* kPlay = "Start or stop gradient descent; every step updates all weights from one mini-batch (Space).";
inline constexpr const char* kStep = "Take exactly one optimization step, then pause, to watch a single update (S).";
inline constexpr const char* kReset = "Put the weights back to their initial values (same random seed) and restart the counters (R).";
inline constexpr const char* kNewWeights = "Draw new random initial weights (next weight seed): the same network can end in a different solution.";
inline constexpr const char* kCompare = "Duplicate this network into a second one (up to four) on the same data and seeds, to change one setting and watch both train side by side, step for step.";

// Data.
inline constexpr const char* kDataKind = "The 2D classification problem: each point has two coordinates (x1, x2) and a class label.";
inline constexpr const char* kClasses = "Number of classes; more than two needs softmax outputs (one output unit per class).";
inline constexpr const char* kPoints = "Number of generated points, training and test together.";
inline constexpr const char* kNoise = "Standard deviation of the random jitter added to each point: more noise makes classes overlap.";
inline constexpr const char* kTrainFraction = "Share of the points used for training; the rest are test points the network never learns from (hollow).";
inline constexpr const char* kDataSeed = "Random seed of the data: the same seed gives the same points. A whole number from 0 to 18446744073709551615, applied on Enter.";
inline constexpr const char* kRegenerate = "Draw a new sample of the same problem (data seed + 1): a new data set, so a new run starts (N).";
inline constexpr const char* kClear = "Remove every point, then click in the plane to draw your own data set. Undo (Ctrl+Z) brings them back; the run goes on.";
inline constexpr const char* kUndoPoints = "Undo the last point edit: a click, a right-click or Clear points (Ctrl+Z). The run goes on with the same weights.";
// The run rule (train/commands.hpp), shown under the run buttons and in these tooltips.
inline constexpr const char* kNewRunNote = "Data, network or init change: new run (step 0, paused)";
inline constexpr const char* kNewRunRule = "A change of data set, network shape, initialization or weight seed starts a new run: step 0, fresh weights from the weight seed, curves cleared, paused until you press Play, whatever the state before. Training settings and point edits (click, right-click, Clear, Undo) continue the run.";
inline constexpr const char* kContinueRule = "Training settings continue the run: the weights, the step count and the curves are kept.";
inline constexpr const char* kPaint = "Class of the points a left click adds in the plane (right click removes the nearest point).";
inline constexpr const char* kCsvPath = "File for importing or exporting points as CSV rows x1,x2,label.";
inline constexpr const char* kImport = "Replace the points with those of the CSV file (the network keeps its weights).";
inline constexpr const char* kExport = "Write the current points to the CSV file.";
inline constexpr const char* kImportAsTest = "Mark imported points as test points (held out from training) instead of training points.";

// Network.
inline constexpr const char* kFeatures = "Inputs fed to the first layer; products and squares let even a network without hidden layers draw curved boundaries (XOR becomes linear in x1*x2).";
inline constexpr const char* kDepth = "Number of hidden layers: each composes another non-linear function of the previous layer's outputs.";
inline constexpr const char* kSameWidth = "Give every hidden layer the same number of units.";
inline constexpr const char* kWidth = "Units in the hidden layer: each unit contributes one level-curve pattern (a line for the first layer) to combine.";
inline constexpr const char* kActivation = "Non-linearity g(z) applied by each hidden unit to its weighted input z = w.x + b; without it the whole network is linear.";
inline constexpr const char* kLayerActivation = "Activation of this hidden layer only.";
inline constexpr const char* kOutput = "Output units and loss: sigmoid + cross-entropy for two classes, softmax + cross-entropy for K classes, or squared error.";
inline constexpr const char* kInit = "How initial weights are drawn; their scale decides whether signals and gradients shrink, explode or stay balanced across layers. pytorch: weights and biases uniform in +-1/sqrt(fan_in), PyTorch's default.";
inline constexpr const char* kInitGain = "Multiplies every initial weight (x0.1 to x10); at x10 most of the default tanh network's units start saturated (|a| > 0.99) and the first hundreds of steps learn far less.";
inline constexpr const char* kRandomBias = "Draw each initial bias uniformly in +-1/sqrt(fan_in), as PyTorch does, instead of one constant; the pytorch initialization always does.";
inline constexpr const char* kBiasInit = "Initial value of every bias; a small positive bias keeps ReLU units active at the start.";
inline constexpr const char* kLeaky = "Slope of leaky ReLU for z < 0: a small slope keeps gradients flowing so units cannot die.";
inline constexpr const char* kElu = "Value ELU approaches for very negative z.";
inline constexpr const char* kWeightSeed = "Random seed of the initial weights and of the mini-batch order: a whole number from 0 to 18446744073709551615, applied on Enter.";

// Training.
inline constexpr const char* kOptimizer = "Rule that turns gradients into weight updates: plain SGD, with momentum, or adaptive per-weight step sizes (AdaGrad, RMSprop, Adam).";
inline constexpr const char* kLearningRate = "Step size of each update: too small crawls, too large overshoots and can diverge or kill ReLU units.";
inline constexpr const char* kMomentum = "Fraction of the previous update carried into the next: smooths zig-zags and speeds up along consistent directions.";
inline constexpr const char* kBeta1 = "Adam's decay of the running mean of gradients (momentum).";
inline constexpr const char* kBeta2 = "Adam's decay of the running mean of squared gradients (per-weight step size).";
inline constexpr const char* kRho = "RMSprop's decay of the running mean of squared gradients.";
inline constexpr const char* kEpsilon = "Small constant added to the denominator of adaptive optimizers to avoid division by zero.";
inline constexpr const char* kWeightDecay = "AdamW's decoupled weight decay: shrinks every weight a little each step.";
inline constexpr const char* kSchedule = "How the learning rate changes over the run: constant, in steps, exponentially or as 1/(1 + decay t).";
inline constexpr const char* kScheduleStep = "Steps between learning-rate drops (step) or the time constant (exponential).";
inline constexpr const char* kScheduleGamma = "Factor of each drop (step, exponential) or the decay per step (inverse time).";
inline constexpr const char* kBatch = "Points per gradient estimate: small batches are noisy but cheap, the full set is exact but slow.";
inline constexpr const char* kL1 = "L1 penalty l1*sum|w|: pushes weights to exactly zero (sparse networks).";
inline constexpr const char* kL2 = "L2 penalty l2/2*sum w^2: keeps weights small, which smooths the boundary.";
inline constexpr const char* kSpeed = "Optimization steps per second (logarithmic): slow down to watch single updates; the slider ends at about this machine's full-speed rate, then max, as fast as the machine allows. The window opens at 50.";
inline constexpr const char* kStop = "When training stops by itself: never, after a number of steps or epochs, or at a target training loss.";

// View.
inline constexpr const char* kLevels = "Thin lines where the output probability is 0.1, 0.2, ... 0.9: dense lines mean a sharp transition.";
inline constexpr const char* kRegions =
    "Linear regions: one colour per activation pattern (which ReLU, leaky ReLU or abs units are on). "
    "Inside one the network is a single linear map; a deep net carves many more than a wide one (Montufar et al. 2014). "
    "Counted on a grid of the view: regions thinner than a cell can be missed.";
inline constexpr const char* kHiddenSpace =
    "The points and a grid of the plane as a hidden layer sees them (two of its units, or PCA): watch the layers fold and "
    "stretch the plane until the classes can be split by a line.";
inline constexpr const char* kFirstLayerLines = "Dashed lines where each first-layer unit's weighted input w.x + b is zero: the boundary is built from these lines.";
inline constexpr const char* kShowTrain = "Show the training points (filled).";
inline constexpr const char* kShowTest = "Show the test points (hollow).";
inline constexpr const char* kFit = "Zoom and pan to fit the data (key F does the same).";
inline constexpr const char* kBackToOutput = "Show the network's output again instead of one unit.";
inline constexpr const char* kTimeline = "Replay the boundary and the units at earlier steps of this run; training goes on meanwhile.";
inline constexpr const char* kLive = "Leave the replay and follow training live.";
inline constexpr const char* kLossLog = "Logarithmic loss axis: slow late progress stays visible.";
inline constexpr const char* kLogSteps = "A logarithmic step axis: the first ten, hundred and thousand steps get the same width, so the early learning phase of a long run shows.";
inline constexpr const char* kEpochs = "Measure time in epochs (passes over the training set) instead of optimization steps.";
inline constexpr const char* kInspect = "Inspect mode: a click in the view picks a point (the nearest data point) and shows the math at it: every unit's z, a and delta = dL/dz, every weight's gradient, the formula of the unit under the mouse.";
inline constexpr const char* kInspectLoss = "This point's loss alone, with the convention of mlpviz grad (N = 1; L1/L2 terms included); its gradient is what one step on this point follows.";
inline constexpr const char* kStepOnPoint = "One plain gradient-descent step on this point alone: every weight w becomes w - lr * dL/dw (whatever optimizer the run uses). Training pauses; the table lists every parameter before and after, and the boundary moves.";
inline constexpr const char* kInspectToggle = "Inspect: clicks in the view pick a point and show the math at it (backprop by hand) instead of adding points.";

// Knock-out (network graph) and the z histograms (histogram_panel.cpp).
inline constexpr const char* kKnockedOutUnit = "Knocked out: its output is held at 0, so the boundary is drawn without it. Training goes on; it gets no gradient while off.";
inline constexpr const char* kKnockOut = "right-click to knock it out (hold its output at 0) and see which units matter";
inline constexpr const char* kKnockBackOn = "right-click to switch it back on";
inline constexpr const char* kHistograms = "Per hidden layer, how the pre-activations z of all its units are spread over the training points. Shaded: where the activation is flat and passes (almost) no gradient: ReLU's z <= 0; tanh's and sigmoid's saturated tails, where the slope is below 10% of its peak (the same threshold as the saturation figures). Knocked-out units are left out.";

}  // namespace mlpviz::ui::help
