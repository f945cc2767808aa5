#!/bin/sh
# The Debian package as an operator installs it: cpack builds the .deb from the build directory,
# dpkg-deb unpacks it into a temporary root, the unpacked guiju answers --version, and
# systemd-analyze verifies the unpacked units. Usage: deb_package_test.sh BUILD_DIR
set -eu
build=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/guiju-deb-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$work"/out/guiju_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { cat "$work/cpack.log" >&2; fail "cpack wrote no guiju_*.deb"; }
echo "package: $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libquickfix libzmq5 libyaml-cpp libssl3; do
  echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib"
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/guiju usr/bin/guiju-inferd usr/include/guiju/strategy.h \
         usr/include/guiju/strategy.hpp usr/lib/systemd/system/guiju.service \
         usr/lib/systemd/system/guiju-inferd.service usr/lib/sysusers.d/guiju.conf \
         usr/share/guiju/examples/live.yaml usr/share/doc/guiju/operations.md \
         usr/share/doc/guiju/tuning.md; do
  [ -e "$root/$f" ] || fail "the package lacks /$f"
done
ls "$root"/usr/lib/cmake/guiju/guijuConfig.cmake "$root"/usr/lib/*/cmake/guiju/guijuConfig.cmake \
  2>/dev/null | grep -q . || fail "the package lacks the SDK's CMake package"
ls "$root"/usr/lib/guiju/strategies/*.so "$root"/usr/lib/*/guiju/strategies/*.so 2>/dev/null |
  grep -q . || fail "the package lacks the sample strategies"
[ -e "$root/usr/share/doc/guiju/deploy.md" ] || fail "the package lacks deploy/README.md"
dpkg-deb -I "$deb" postinst >/dev/null || fail "the package has no postinst"

version=$("$root/usr/bin/guiju" --version) || fail "the unpacked guiju --version failed"
echo "$version"
case "$version" in "guiju "*) ;; *) fail "unexpected --version output: $version" ;; esac
"$root/usr/bin/guiju-inferd" --version >/dev/null || fail "the unpacked guiju-inferd --version failed"

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed; the units were not verified"
  exit 0
fi
# systemd-analyze verify checks that ExecStart's program exists and is executable: the copies it
# reads point at the unpacked binaries, every other line as packaged. Any message fails the test
# (an unknown key is only a warning to systemd, but a hardening line it ignores protects nothing).
mkdir "$work/units"
for unit in guiju.service guiju-inferd.service; do
  sed "s|^ExecStart=/usr/bin/|ExecStart=$root/usr/bin/|" "$root/usr/lib/systemd/system/$unit" \
    >"$work/units/$unit"
  grep -q "^ExecStart=$root/usr/bin/" "$work/units/$unit" || fail "$unit has no ExecStart=/usr/bin/..."
  if ! (cd "$work/units" && systemd-analyze verify "./$unit") >"$work/verify.log" 2>&1 ||
     [ -s "$work/verify.log" ]; then
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify $unit"
  fi
  echo "verified: $unit"
done
echo "OK"
