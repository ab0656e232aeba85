#include "core/data.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <istream>
#include <numeric>
#include <ostream>
#include <variant>

#include "core/file_io.hpp"
#include "core/rng.hpp"

namespace mlpviz::core {

int Dataset::count(bool test) const {
  return static_cast<int>(
      std::count_if(points.begin(), points.end(), [&](const Point& p) { return p.test == test; }));
}

namespace {

// How many of n points go to class k of K (the first n % K classes get one more).
int share(int n, int k, int K) { return n / K + (k < n % K ? 1 : 0); }

void gen_xor(const DataSpec& s, Rng& rng, std::vector<Point>& pts) {
  for (int i = 0; i < s.points; ++i) {
    const int quadrant = i % 4;  // exact balance: each quadrant gets n/4 points
    double x = rng.uniform(0.05, 1.0), y = rng.uniform(0.05, 1.0);
    if (quadrant == 1 || quadrant == 2) x = -x;
    if (quadrant == 2 || quadrant == 3) y = -y;
    const int label = (x * y > 0) ? 1 : 0;
    pts.push_back({x + s.noise * rng.normal(), y + s.noise * rng.normal(), label, false});
  }
}

void gen_moons(const DataSpec& s, Rng& rng, std::vector<Point>& pts) {
  // sklearn's make_moons, centred: outer moon label 0, inner moon label 1.
  for (int k = 0; k < 2; ++k) {
    const int n = share(s.points, k, 2);
    for (int i = 0; i < n; ++i) {
      const double t = n > 1 ? M_PI * i / (n - 1) : 0.0;
      double x = k == 0 ? std::cos(t) : 1.0 - std::cos(t);
      double y = k == 0 ? std::sin(t) : 0.5 - std::sin(t);
      x += s.noise * rng.normal() - 0.5;
      y += s.noise * rng.normal() - 0.25;
      pts.push_back({x, y, k, false});
    }
  }
}

void gen_circles(const DataSpec& s, Rng& rng, std::vector<Point>& pts) {
  // sklearn's make_circles(factor = 0.5): outer circle label 0, inner label 1.
  for (int k = 0; k < 2; ++k) {
    const int n = share(s.points, k, 2);
    const double r = k == 0 ? 1.0 : 0.5;
    for (int i = 0; i < n; ++i) {
      const double t = 2.0 * M_PI * i / std::max(n, 1);
      pts.push_back({r * std::cos(t) + s.noise * rng.normal(), r * std::sin(t) + s.noise * rng.normal(),
                     k, false});
    }
  }
}

void gen_spiral(const DataSpec& s, Rng& rng, std::vector<Point>& pts) {
  // cs231n's spiral: arm k sweeps 4 radians while the radius grows from 0 to 1.
  for (int k = 0; k < s.classes; ++k) {
    const int n = share(s.points, k, s.classes);
    for (int i = 0; i < n; ++i) {
      const double r = n > 1 ? static_cast<double>(i) / (n - 1) : 1.0;
      const double t = 2.0 * M_PI * k / s.classes + 4.0 * r;
      pts.push_back({r * std::sin(t) + s.noise * rng.normal(), r * std::cos(t) + s.noise * rng.normal(),
                     k, false});
    }
  }
}

void gen_blobs(const DataSpec& s, Rng& rng, std::vector<Point>& pts) {
  // K Gaussian blobs centred on a circle of radius 1; noise is their standard deviation.
  for (int k = 0; k < s.classes; ++k) {
    const int n = share(s.points, k, s.classes);
    const double a = 2.0 * M_PI * k / s.classes + M_PI / 4;
    for (int i = 0; i < n; ++i)
      pts.push_back({std::cos(a) + s.noise * rng.normal(), std::sin(a) + s.noise * rng.normal(), k,
                     false});
  }
}

void gen_checkerboard(const DataSpec& s, Rng& rng, std::vector<Point>& pts) {
  // 4 x 4 cells over [-1, 1]^2; labels alternate like the squares of a board.
  for (int i = 0; i < s.points; ++i) {
    const double x = rng.uniform(-1.0, 1.0), y = rng.uniform(-1.0, 1.0);
    const int cx = std::min(3, static_cast<int>((x + 1.0) * 2.0));
    const int cy = std::min(3, static_cast<int>((y + 1.0) * 2.0));
    pts.push_back({x + s.noise * rng.normal(), y + s.noise * rng.normal(), (cx + cy) % 2, false});
  }
}

}  // namespace

Dataset generate(const DataSpec& s) {
  Dataset d;
  d.classes = data_kind_has_classes(s.kind) ? s.classes : 2;
  if (s.kind == DataKind::Custom) return d;
  Rng rng(s.seed);
  d.points.reserve(s.points);
  switch (s.kind) {
    case DataKind::Xor: gen_xor(s, rng, d.points); break;
    case DataKind::Moons: gen_moons(s, rng, d.points); break;
    case DataKind::Circles: gen_circles(s, rng, d.points); break;
    case DataKind::Spiral: gen_spiral(s, rng, d.points); break;
    case DataKind::Blobs: gen_blobs(s, rng, d.points); break;
    case DataKind::Checkerboard: gen_checkerboard(s, rng, d.points); break;
    case DataKind::Custom: break;
  }
  // Train/test split by a seeded shuffle (Fisher-Yates), so both splits mix all classes.
  std::vector<int> order(d.points.size());
  std::iota(order.begin(), order.end(), 0);
  for (int i = static_cast<int>(order.size()) - 1; i > 0; --i)
    std::swap(order[i], order[rng.below(static_cast<std::uint64_t>(i) + 1)]);
  const int n_train =
      std::max(1, static_cast<int>(std::lround(s.train_fraction * static_cast<double>(order.size()))));
  for (std::size_t r = 0; r < order.size(); ++r)
    d.points[order[r]].test = static_cast<int>(r) >= n_train;
  return d;
}

double feature_value(int bit, double x1, double x2) {
  switch (bit) {
    case 0: return x1;
    case 1: return x2;
    case 2: return x1 * x1;
    case 3: return x2 * x2;
    case 4: return x1 * x2;
    case 5: return std::sin(x1);
    case 6: return std::sin(x2);
  }
  return 0.0;
}

template <class T>
void build_features(std::uint32_t mask, const double* x1, const double* x2, int n, MatX<T>& X) {
  int rows = 0;
  for (int b = 0; b < kNumFeatures; ++b) rows += (mask >> b) & 1u;
  X.resize(rows, n);
  for (int i = 0; i < n; ++i) {
    int r = 0;
    for (int b = 0; b < kNumFeatures; ++b)
      if ((mask >> b) & 1u) X(r++, i) = static_cast<T>(feature_value(b, x1[i], x2[i]));
  }
}

template <class T>
void build_features(std::uint32_t mask, const Dataset& data, bool test_split, MatX<T>& X,
                    std::vector<int>& labels) {
  std::vector<double> x1, x2;
  labels.clear();
  for (const Point& p : data.points) {
    if (p.test != test_split) continue;
    x1.push_back(p.x1);
    x2.push_back(p.x2);
    labels.push_back(p.label);
  }
  build_features<T>(mask, x1.data(), x2.data(), static_cast<int>(x1.size()), X);
}

bool uses_targets(const Dataset& data, const Layout& layout) {
  const bool mse = layout.output == OutputKind::SigmoidMse || layout.output == OutputKind::LinearMse;
  return mse && data.has_targets() && data.target_dim == layout.sizes.back() &&
         data.targets.size() == data.points.size() * static_cast<std::size_t>(data.target_dim);
}

template <class T>
MatX<T> build_targets(const Dataset& data, bool test_split, const Layout& layout) {
  const int out = layout.sizes.back();
  if (!uses_targets(data, layout)) {
    std::vector<int> labels;
    for (const Point& p : data.points)
      if (p.test == test_split) labels.push_back(p.label);
    return targets_from_labels<T>(labels, out);
  }
  MatX<T> t(out, data.count(test_split));
  Eigen::Index c = 0;
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    if (data.points[i].test != test_split) continue;
    for (int k = 0; k < out; ++k) t(k, c) = static_cast<T>(data.targets[i * out + k]);
    ++c;
  }
  return t;
}

std::vector<double> target_of_label(int label, const Layout& layout) {
  const MatX<double> t = targets_from_labels<double>({label}, layout.sizes.back());
  return std::vector<double>(t.data(), t.data() + t.size());
}

std::vector<double> target_of_point(const Dataset& data, int i, const Layout& layout) {
  if (!uses_targets(data, layout)) return target_of_label(data.points[i].label, layout);
  const int out = data.target_dim;
  return std::vector<double>(data.targets.begin() + static_cast<std::ptrdiff_t>(i) * out,
                             data.targets.begin() + static_cast<std::ptrdiff_t>(i + 1) * out);
}

template MatX<float> build_targets<float>(const Dataset&, bool, const Layout&);
template MatX<double> build_targets<double>(const Dataset&, bool, const Layout&);

template void build_features<float>(std::uint32_t, const double*, const double*, int, MatX<float>&);
template void build_features<double>(std::uint32_t, const double*, const double*, int, MatX<double>&);
template void build_features<float>(std::uint32_t, const Dataset&, bool, MatX<float>&, std::vector<int>&);
template void build_features<double>(std::uint32_t, const Dataset&, bool, MatX<double>&, std::vector<int>&);

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_double(std::string_view s, double& v) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// One line split into fields as RFC 4180 quotes them: a field may be enclosed in double quotes
// (a comma or '#' inside is text, "" is one quote), spaces around fields are ignored, and '#'
// outside quotes starts a comment. Returns an error text, or nullopt.
std::optional<std::string> split_fields(std::string_view s, std::vector<std::string>& fields) {
  fields.clear();
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string field;
    if (i < s.size() && s[i] == '"') {
      const std::size_t open = i++;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += s[i++];
      }
      if (!closed) return "the quote at column " + std::to_string(open + 1) + " is never closed";
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] != ',' && s[i] != '#')
        return "text after the closing quote at column " + std::to_string(i + 1);
    } else {
      const std::size_t start = i;
      while (i < s.size() && s[i] != ',' && s[i] != '#') ++i;
      field = std::string(trim(s.substr(start, i - start)));
    }
    fields.push_back(std::move(field));
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    return std::nullopt;  // end of line or a comment
  }
}

// A header names its columns: three fields, each starting with a letter or an underscore and
// none of them a number ("nan" and "inf" are numbers). Anything else that is not data is an error.
bool is_header(const std::vector<std::string>& f) {
  if (f.size() != 3) return false;
  for (const std::string& x : f) {
    if (x.empty()) return false;
    const auto c = static_cast<unsigned char>(x.front());
    if (!(std::isalpha(c) || c == '_')) return false;
    double v = 0;
    if (parse_double(x, v)) return false;
  }
  return true;
}

std::string too_large() { return "file is larger than " + std::to_string(kMaxCsvBytes / (1024 * 1024)) + " MB"; }

}  // namespace

std::optional<std::string> read_csv_text(std::string_view text, bool as_test, std::vector<Point>& out,
                                         std::string* note) {
  if (static_cast<std::int64_t>(text.size()) > kMaxCsvBytes) return too_large();
  std::vector<Point> pts;
  std::vector<std::string> f;
  std::string header_note;
  bool seen_row = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view s = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line_no == 1 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // UTF-8 byte order mark
    s = trim(s);
    const std::string at = "line " + std::to_string(line_no) + ": ";
    if (auto e = split_fields(s, f)) return at + *e + ": '" + printable(s, 60) + "'";
    if (f.size() == 1 && f[0].empty() && (s.empty() || s.front() != '"')) continue;  // blank or comment
    double x1 = 0, x2 = 0, lab = 0;
    const bool numeric = f.size() == 3 && parse_double(f[0], x1) && parse_double(f[1], x2) && parse_double(f[2], lab);
    if (!numeric) {
      if (!seen_row && is_header(f)) {
        seen_row = true;
        header_note = at + "'" + printable(s, 60) + "' read as a header (column names) and skipped";
        continue;
      }
      return at + "expected three numbers x1,x2,label, got '" + printable(s, 60) + "'";
    }
    seen_row = true;
    if (!std::isfinite(x1) || !std::isfinite(x2)) return at + "x1 and x2 must be finite numbers";
    if (std::abs(x1) > 1e6 || std::abs(x2) > 1e6) return at + "x1 and x2 must lie within -1e6 to 1e6";
    if (!std::isfinite(lab) || lab != std::floor(lab) || lab < 0 || lab > kMaxClasses - 1)
      return at + "label must be an integer from 0 to " + std::to_string(kMaxClasses - 1);
    if (static_cast<int>(pts.size()) >= kMaxPoints) return "more than " + std::to_string(kMaxPoints) + " points";
    pts.push_back({x1, x2, static_cast<int>(lab), as_test});
  }
  if (pts.empty()) return std::string("no points: expected lines x1,x2,label");
  out = std::move(pts);
  if (note) *note = std::move(header_note);
  return std::nullopt;
}

std::optional<std::string> read_csv(std::istream& in, bool as_test, std::vector<Point>& out, std::string* note) {
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::int64_t>(text.size()) > kMaxCsvBytes) return too_large();
  }
  return read_csv_text(text, as_test, out, note);
}

std::optional<std::string> read_csv_file(const std::string& path, bool as_test, std::vector<Point>& out,
                                         std::string* note) {
  auto text = read_file_bounded(path, kMaxCsvBytes);
  if (auto* e = std::get_if<ReadError>(&text)) return e->message;
  std::string n;
  if (auto err = read_csv_text(std::get<std::string>(text), as_test, out, &n)) return path + ": " + *err;
  if (note) *note = n.empty() ? n : path + ": " + n;
  return std::nullopt;
}

void write_csv(std::ostream& out, const std::vector<Point>& points) {
  out << "x1,x2,label\n";
  char buf[96];
  for (const Point& p : points) {
    std::snprintf(buf, sizeof buf, "%.17g,%.17g,%d\n", p.x1, p.x2, p.label);
    out << buf;
  }
}

Box data_bounds(const Dataset* data, double at_least) {
  Box b{-at_least, at_least, -at_least, at_least};
  if (data)
    for (const Point& p : data->points) {
      b.x_min = std::min(b.x_min, p.x1);
      b.x_max = std::max(b.x_max, p.x1);
      b.y_min = std::min(b.y_min, p.x2);
      b.y_max = std::max(b.y_max, p.x2);
    }
  return b;
}

int nearest_point(const Dataset& data, double x1, double x2) {
  int best = -1;
  double best_d = 0.0;
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const double dx = data.points[i].x1 - x1, dy = data.points[i].x2 - x2;
    const double d = dx * dx + dy * dy;
    if (best < 0 || d < best_d) {
      best = static_cast<int>(i);
      best_d = d;
    }
  }
  return best;
}

}  // namespace mlpviz::core
