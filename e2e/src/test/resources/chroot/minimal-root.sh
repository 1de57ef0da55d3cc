#!/bin/sh
# A minimal root for chroot, as small as debootstrap's minbase would be for this purpose: the stock tools a kit
# needs (NoJavaHost.TOOLS), each with the shared libraries ldd names for it and for the installer image, /tmp (1777)
# and /dev/null. No Java: the kit brings its own runtime.
# Usage: minimal-root.sh ROOT INSTALLER_IMAGE TOOL...
set -eu
root=$1
image=$2
shift 2
mkdir -p "$root/usr/bin" "$root/tmp" "$root/dev" "$root/proc" "$root/etc" "$root/lib64"
chmod 1777 "$root/tmp"
ln -sfn usr/bin "$root/bin"
for tool in "$@"; do
  cp -L "$(command -v "$tool")" "$root/usr/bin/$tool"
done
{
  for f in "$root"/usr/bin/*; do ldd "$f" 2>/dev/null || true; done
  find "$image" -type f \( -name '*.so' -o -perm -u+x \) -exec sh -c 'ldd "$1" 2>/dev/null || true' sh {} \;
} | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/lib/ { print $1 }' | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[ -e "$root/dev/null" ] || mknod -m 666 "$root/dev/null" c 1 3
