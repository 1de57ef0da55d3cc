#!/bin/sh
# Packs the installer image (built just before by build-image.sh, not rebuilt here) as a Debian package with
# dpkg-deb: jpackage --type deb would put it under /opt (lintian: dir-or-file-in-opt) with no copyright, changelog
# or man pages in their places, so this small step lays the package out as Debian policy wants it instead:
#   /usr/lib/ferry-installer/            the self-contained image (its own Java runtime: no Java needed on the host)
#   /usr/bin/installer                   -> ../lib/ferry-installer/bin/installer
#   /usr/share/man/man1/installer*.1.gz  one man page per command
#   /usr/share/bash-completion/completions/installer
#   /usr/share/doc/ferry-installer/      copyright, changelog.gz
#   /etc/ferry/trust.d/                  where the host's trusted public keys go (SPEC section 4)
#
# usage: build-deb.sh IMAGE VERSION OUT
#   IMAGE    dist/target/images/installer
#   VERSION  the Maven version (0.1.0-SNAPSHOT becomes the Debian version 0.1.0~SNAPSHOT)
#   OUT      dist/target: the package lands in OUT/ferry-installer_VERSION_ARCH.deb, scratch in OUT/work/deb
# Honours SOURCE_DATE_EPOCH (file times and the changelog date); without it, the time of the image's jar.
set -eu
image=$1 version=$2 out=$3
package=ferry-installer

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-deb: dpkg-deb not found: no .deb is built on this machine (Debian and Ubuntu have it)" >&2
  exit 0
fi
deb_version=$(printf '%s' "$version" | sed 's/-/~/')
arch=$(dpkg --print-architecture)
epoch=${SOURCE_DATE_EPOCH:-$(stat -c %Y "$image/lib/app/installer.jar")}
work=$out/work/deb
root=$work/root
rm -rf "$work"
mkdir -p "$root/DEBIAN" "$root/usr/lib/$package" "$root/usr/bin" "$root/usr/share/man/man1" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/doc/$package" "$root/etc/ferry/trust.d"

# Copies, not hard links: the file times are set below.
cp -a "$image/bin" "$image/lib" "$root/usr/lib/$package/"
# The image's class-data archive holds the class path it was dumped with, which the JVM (17) checks exactly: at
# /usr/lib/ferry-installer it would be refused and the installer would start without any archive (~0.2 s more CPU at
# every start). postinst dumps one in its place from the class list the image carries; prerm removes it.
rm "$root/usr/lib/$package/lib/app/installer.jsa"
ln -s "../lib/$package/bin/installer" "$root/usr/bin/installer"
# Debian policy: native code stripped (the image keeps its symbols; jlink strips only Java debug information),
# shared libraries not executable, no read-only files (jlink's legal notices and the CDS archive are 0444).
if command -v strip >/dev/null 2>&1; then
  find "$root/usr/lib/$package" -type f \( -name '*.so' -o -perm -0100 \) | while read -r file; do
    if [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ]; then
      case $file in
        *.so) strip --strip-unneeded --remove-section=.comment --remove-section=.note "$file" ;;
        *) strip --remove-section=.comment --remove-section=.note "$file" ;;
      esac
    fi
  done
else
  echo "build-deb: strip (binutils) not found: the package keeps the native symbols (lintian: unstripped-binary-or-object)" >&2
fi
find "$root/usr/lib/$package" -type f -name '*.so' -exec chmod 0644 {} +
find "$root/usr/lib/$package" -type f -perm 0444 -exec chmod 0644 {} +
for page in "$image"/share/man/man1/*.1; do
  gzip -9nc "$page" >"$root/usr/share/man/man1/$(basename "$page").gz"
done
# bash-completion sources the script: picocli's "#!/usr/bin/env bash" line has no use there.
sed '1{/^#!/d}' "$image/share/bash-completion/completions/installer" >"$root/usr/share/bash-completion/completions/installer"

cat >"$root/usr/share/doc/$package/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Ferry
Comment: The installer of Ferry, with the Java runtime and libraries it runs on (usr/lib/ferry-installer).

Files: *
Copyright: 2025-2026 The Ferry authors
License: Apache-2.0

Files: usr/lib/ferry-installer/lib/runtime/*
Copyright: Oracle and/or its affiliates, and the OpenJDK contributors
License: GPL-2 with Classpath exception
 The OpenJDK runtime image made by jlink for this program.

Files: usr/lib/ferry-installer/lib/app/lib/* usr/lib/ferry-installer/lib/app/libzstd-jni.so
Copyright: their respective authors (Apache Commons, Jackson, picocli, jline, jmustache, progressbar, SnakeYAML,
 aircompressor, zstd-jni)
License: Apache-2.0 or BSD-2-clause, as each jar's META-INF says

License: Apache-2.0
 On Debian systems, the full text is in /usr/share/common-licenses/Apache-2.0.
EOF
changelog_date=$(date -u -R -d "@$epoch")
printf '%s (%s) unstable; urgency=medium\n\n  * Built by mvn package (dist/src/main/sh/build-deb.sh).\n\n -- Ferry maintainers <ferry@example.org>  %s\n' \
  "$package" "$deb_version" "$changelog_date" | gzip -9n >"$root/usr/share/doc/$package/changelog.gz"

installed_kib=$(du -sk --apparent-size "$root/usr" "$root/etc" | awk '{ s += $1 } END { print s }')
# The runtime's own libraries need only these (ldd over the image's .so files; the X11 ones belong to AWT's
# windowing, which a headless installer never loads).
cat >"$root/DEBIAN/control" <<EOF
Package: $package
Version: $deb_version
Architecture: $arch
Maintainer: Ferry maintainers <ferry@example.org>
Installed-Size: $installed_kib
Depends: libc6, libgcc-s1, libstdc++6, zlib1g
Section: admin
Priority: optional
Homepage: https://ferry.example.org/
Description: installs software agents on hosts with no route to the internet
 Ferry's installer runs on the isolated host with only public keys: it checks
 the host, verifies every byte of a signed offline bundle, installs the agent
 as a service (systemd), self-tests connectivity naming cause and fix, rolls
 back on failure, repairs, upgrades, re-registers, reports and uninstalls.
 .
 It brings its own Java runtime: the host needs no Java.
EOF
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

# The archive is dumped through the launcher itself (FERRY_JAVA_OPTS comes last on its command line), so its class
# path is the launcher's by construction. A failure leaves a working installer that starts without it.
cat >"$root/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
  archive=/usr/lib/$package/lib/app/installer.jsa
  rm -f "\$archive"
  if ! FERRY_JAVA_OPTS="-Xshare:dump -XX:SharedClassListFile=/usr/lib/$package/lib/app/installer.classlist" \\
    /usr/lib/$package/bin/installer >/dev/null 2>&1; then
    rm -f "\$archive"
    echo "$package: no class-data archive was written: installer starts slower without it" >&2
  fi
fi
exit 0
EOF
cat >"$root/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e
# The class-data archive postinst dumped: dpkg removes only the files it unpacked.
rm -f /usr/lib/$package/lib/app/installer.jsa
exit 0
EOF
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"

find "$root" -exec touch -h -d "@$epoch" {} +
deb=$out/${package}_${deb_version}_$arch.deb
# gzip: about as fast as the copy; xz would take a minute of CPU at every mvn package for ~25% less.
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$deb" >/dev/null
echo "build-deb: $deb ($(du -h "$deb" | cut -f1))"
