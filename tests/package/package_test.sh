#!/usr/bin/env bash
# The Debian package, as a user gets it: built by cpack from the release build, unpacked into a
# throwaway root (dpkg -x), its program run from there (no MLPVIZ_DATA_DIR: it must find its own
# data), its desktop entry, metainfo, MIME type, icons and man page validated, lintian without
# errors. Usage: package_test.sh BUILD_DIR SOURCE_DIR WORK_DIR VERSION
set -uo pipefail
build=$1 src=$2 work=$3 version=$4
id=io.github.mlpviz.mlpviz
unset MLPVIZ_DATA_DIR
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
need() { command -v "$1" >/dev/null || { echo "FAIL: $1 is not installed (scripts/setup.sh installs it)"; exit 1; }; }
for t in cpack dpkg-deb lintian desktop-file-validate appstreamcli update-mime-database gio groff xvfb-run; do need "$t"; done

rm -rf "$work" && mkdir -p "$work"
# 1. The package, from what the release build made (cpack installs; it does not rebuild).
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$work/pkg/mlpviz_${version}_amd64.deb
[ -f "$deb" ] || { ls "$work/pkg"; echo "FAIL: no $deb"; exit 1; }
for field in Depends Section Maintainer Description; do
  [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "control field $field is empty"
done
dpkg-deb -f "$deb" Depends | grep -q 'libglfw3' || fail "Depends lacks the shlibdeps-computed libglfw3: $(dpkg-deb -f "$deb" Depends)"

# 2. Unpacked into a throwaway root, the program runs and finds its own data folder.
root=$work/root
dpkg -x "$deb" "$root"
bin=$root/usr/bin/mlpviz
out=$("$bin" --version) || fail "--version exit $?"
[ "$out" = "mlpviz $version" ] || fail "--version printed '$out', expected 'mlpviz $version'"
out=$("$bin" --data-dir) || fail "--data-dir exit $?"
[ "$(realpath "$out")" = "$(realpath "$root/usr/share/mlpviz")" ] || fail "data folder is '$out', expected $root/usr/share/mlpviz"
out=$("$bin" train --steps 100 --save "$work/trained.mlpviz.json") || fail "train --steps 100 exit $?"
grep -q '^step 100 ' <<<"$out" || fail "train --steps 100 printed: $out"
# The data folder holds what assets/ holds (lessons/ and the rest), less the source-only files.
diff -r -x README.md -x desktop "$src/assets" "$root/usr/share/mlpviz" || fail "share/mlpviz differs from assets/"
ls "$src/assets/lessons" 2>/dev/null | sort >"$work/lessons.src"
ls "$root/usr/share/mlpviz/lessons" 2>/dev/null | sort >"$work/lessons.pkg"
cmp -s "$work/lessons.src" "$work/lessons.pkg" || fail "share/mlpviz/lessons holds $(cat "$work/lessons.pkg"), assets/lessons $(cat "$work/lessons.src")"
# The lessons subcommand (when this build has it) works from the unpacked data folder alone.
if "$bin" --help | grep -q '^  lessons '; then
  "$bin" lessons >"$work/lessons.out" 2>&1 || { cat "$work/lessons.out"; fail "mlpviz lessons exit $?"; }
fi
# The window opens the session it is given (as a double click does: Exec=mlpviz %f).
xvfb-run -a -s "-screen 0 1280x800x24" "$bin" "$work/trained.mlpviz.json" --paused --exit-after-frames 5 \
  >"$work/gui.log" 2>&1 || { cat "$work/gui.log"; fail "the unpacked program did not open a session in a window"; }

# The package is portable: built with MLPVIZ_PORTABLE, no AVX outside the dispatched kernels (in
# the unstripped program it was made from), and those kernels train like the baseline ones.
# The release preset stays native (-march=native) for development: then this package is for this
# machine only, and the distributable one comes from the package preset (docs/packaging.md).
if grep -q '^MLPVIZ_PORTABLE:BOOL=ON' "$build/CMakeCache.txt"; then
  dispatch=$(grep -q '^MLPVIZ_DISPATCH:BOOL=ON' "$build/CMakeCache.txt" && echo dispatch)
  "$(dirname "$0")/check_portable.sh" "$build/src/app/mlpviz" $dispatch || fail "AVX code outside the dispatched kernels"
  base=$(MLPVIZ_KERNELS=baseline "$bin" train --steps 300 | sed -n 's/.*train loss \([0-9.]*\).*/\1/p')
  fast=$("$bin" train --steps 300 | sed -n 's/.*train loss \([0-9.]*\).*/\1/p')
  awk -v a="$base" -v b="$fast" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 1e-3 * a) }' ||
    fail "the AVX2 kernels train to loss $fast, the baseline ones to $base"
else
  echo "NOTE: packaged from a -march=native build (MLPVIZ_PORTABLE=OFF): not portable; the portability checks need the package preset"
fi

# 3. Desktop entry, metainfo, icons.
desk=$root/usr/share/applications/$id.desktop
desktop-file-validate "$desk" || fail "desktop-file-validate $desk"
grep -qx 'Exec=mlpviz %f' "$desk" || fail "desktop entry does not open files: $(grep ^Exec "$desk")"
grep -qx 'MimeType=application/x-mlpviz-session;' "$desk" || fail "desktop entry lacks the session MIME type"
grep -qx "Icon=$id" "$desk" || fail "desktop entry's icon is not $id"
appstreamcli validate --no-net "$root/usr/share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"
grep -q ">$version<\|version=\"$version\"" "$root/usr/share/metainfo/$id.metainfo.xml" || fail "metainfo lacks release $version"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$id.svg" ] || fail "no scalable icon"
for px in 16 32 48 64 128 256; do
  png=$root/usr/share/icons/hicolor/${px}x${px}/apps/$id.png
  [ "$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "no PNG icon $png"
done

# 4. The MIME type: a valid shared-mime-info file; a saved session is recognized by its name
#    (*.mlpviz.json) and, without one, by its content; other JSON is not.
mkdir -p "$work/xdg/mime/packages" && cp "$root/usr/share/mime/packages/mlpviz.xml" "$work/xdg/mime/packages/"
update-mime-database "$work/xdg/mime" 2>"$work/mime.log" || { cat "$work/mime.log"; fail "update-mime-database"; }
cp "$work/trained.mlpviz.json" "$work/saved_session"
echo '{"data": {"kind": "moons"}}' >"$work/other.json"
mime() { XDG_DATA_HOME=$work/xdg XDG_DATA_DIRS=/usr/share gio info -a standard::content-type "$1" | sed -n 's/.*content-type: //p'; }
[ "$(mime "$work/trained.mlpviz.json")" = application/x-mlpviz-session ] || fail "*.mlpviz.json is $(mime "$work/trained.mlpviz.json")"
[ "$(mime "$work/saved_session")" = application/x-mlpviz-session ] || fail "a session by content is $(mime "$work/saved_session")"
[ "$(mime "$work/other.json")" = application/json ] || fail "other JSON is $(mime "$work/other.json")"

# 5. The man page renders without warnings and documents the subcommands.
man=$root/usr/share/man/man1/mlpviz.1.gz
zcat "$man" | groff -man -Tutf8 -ww -z 2>"$work/groff.log" && [ ! -s "$work/groff.log" ] ||
  { cat "$work/groff.log"; fail "man page: groff warnings"; }
zcat "$man" | groff -man -Tutf8 2>/dev/null | sed 's/.\x08//g' >"$work/man.txt"
for word in "mlpviz train" "mlpviz render" "--version" "MLPVIZ_DATA_DIR"; do
  grep -q -- "$word" "$work/man.txt" || fail "man page lacks '$word'"
done

# 6. lintian: no errors (warnings and notes are printed).
lintian --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1
grep -v 'root privileges' "$work/lintian.log"
grep -q '^E: ' "$work/lintian.log" && fail "lintian reports errors"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "package: all checks passed ($deb)"
