# BLS, the Business Logic Server: nginx on :3100 in front of the Swift FastCGI responder.
#
#   docker build -t bls .
#   docker run -d -p 127.0.0.1:3100:3100 -v bls-data:/data \
#     -e NODE_ID=… -e ILP_ADDRESS=g.… -e NOSTR_SECRET_KEY_FILE=/run/secrets/nostr_key … bls
#
# Three stages (docs/container.md explains each choice):
#   build   the official Swift image: `swift build -c release --static-swift-stdlib`.
#   rootfs  Debian bookworm-slim: downloads exactly the runtime .debs (glibc, the C libraries,
#           nginx), unpacks them into /rootfs with their dpkg metadata in
#           /var/lib/dpkg/status.d/ (as distroless does, so image scanners still see every
#           package and version), prunes docs, adds the user, proves with the rootfs's own
#           dynamic loader that nothing is missing.
#   final   FROM scratch + that rootfs: no shell, no package manager, no compiler.
# Every instruction also works with the classic builder (no BuildKit-only syntax).

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG DEBIAN_IMAGE=debian:bookworm-slim

###############################################################################
FROM ${SWIFT_IMAGE} AS build
# The C libraries' headers and pkg-config files (the package's system library targets).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsecp256k1-dev libsqlite3-dev libssl-dev libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: this layer is reused while only Sources/ changes.
COPY Package.* ./
RUN swift package resolve
# The rest of the context: .dockerignore admits only what the manifest's targets need.
COPY . .
RUN swift build -c release --static-swift-stdlib --product bls-fcgi \
 && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/bls-fcgi" \
      /out/usr/local/bin/bls-fcgi \
 && strip /out/usr/local/bin/bls-fcgi

###############################################################################
FROM ${DEBIAN_IMAGE} AS rootfs
# Runtime packages, nothing else. The binary needs glibc, libsecp256k1, libsqlite3, libcrypto
# (it speaks FastCGI itself) and libpq (DATABASE_URL) with what libpq links: Kerberos/GSSAPI,
# LDAP, SASL, GnuTLS and their helpers (~16 MB installed); nginx needs libcrypt, libpcre2, libssl and zlib; Swift's runtime (linked
# statically) still needs libstdc++ and libgcc_s. base-files gives /etc/os-release, which
# scanners use to pick the distribution's advisories. Debian's `nginx` package is the binary
# that `nginx-light` installs (nginx-light only adds the echo module, which BLS does not
# use). nginx-common is left out: `bls-fcgi run` renders its own complete nginx.conf (the
# template is compiled into the binary) and points every nginx path into /tmp.
ARG RUNTIME_PACKAGES="base-files libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libcrypt1 \
  libpcre2-8-0 libsqlite3-0 libsecp256k1-1 nginx \
  libpq5 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1 \
  libldap-2.5-0 libsasl2-2 libgnutls30 libnettle8 libhogweed6 \
  libgmp10 libidn2-0 libunistring2 libp11-kit0 libtasn1-6 libffi8"
ARG BLS_UID=10001
ARG BLS_GID=10001
WORKDIR /debs
# (/debs belongs to _apt so apt downloads in its sandbox, as it does for `apt-get install`.)
RUN chown _apt /debs \
 && apt-get update \
 && apt-get download ${RUNTIME_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /rootfs/
RUN set -eu; \
    status=/rootfs/var/lib/dpkg/status.d; mkdir -p "$status"; \
    for deb in /debs/*.deb; do \
      pkg=$(dpkg-deb -f "$deb" Package); \
      dpkg-deb -x "$deb" /rootfs; \
      dpkg-deb -f "$deb" > "$status/$pkg"; \
      dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./md5sums > "/tmp/$pkg.md5sums" 2>/dev/null || true; \
    done; \
    # Debian 12 merges /usr: bin, sbin, lib and lib64 are links into /usr.
    for d in bin sbin lib lib64; do \
      if [ -d "/rootfs/$d" ] && [ ! -L "/rootfs/$d" ]; then \
        mkdir -p "/rootfs/usr/$d"; cp -a "/rootfs/$d/." "/rootfs/usr/$d/"; rm -rf "/rootfs/$d"; \
      fi; \
      ln -sfn "usr/$d" "/rootfs/$d"; \
    done; \
    cd /rootfs; \
    # The multiarch triplet (x86_64-linux-gnu, aarch64-linux-gnu): no architecture is assumed.
    ma=$(cd usr/lib && ls -d ./*-linux-gnu | head -n1); ma=${ma#./}; \
    # Prune what a server never reads: docs (keeping each package's copyright), man pages,
    # translations, iconv modules, glibc's tools and debugging libraries, OpenSSL engines.
    find usr/share/doc -mindepth 1 ! -name copyright ! -type d -delete; \
    find usr/share/doc -mindepth 1 -type d -empty -delete; \
    rm -rf usr/share/man usr/share/info usr/share/locale usr/share/lintian usr/share/bug \
      usr/share/common-licenses usr/share/base-files usr/share/menu usr/share/nginx \
      usr/share/apport usr/share/zoneinfo usr/share/vim usr/share/gcc usr/share/gdb \
      usr/bin usr/sbin/ldconfig usr/sbin/iconvconfig usr/sbin/zic usr/lib/systemd \
      etc/init.d etc/logrotate.d etc/ufw etc/default etc/update-motd.d etc/dpkg \
      etc/ld.so.conf.d var/www \
      "usr/lib/$ma/gconv" "usr/lib/$ma/audit" "usr/lib/$ma/engines-3" \
      "usr/lib/$ma/libmvec.so.1" "usr/lib/$ma/libc_malloc_debug.so.0" \
      "usr/lib/$ma/libthread_db.so.1" "usr/lib/$ma/libmemusage.so" "usr/lib/$ma/libpcprofile.so"; \
    mkdir -p usr/bin; \
    # Keep md5sums only for the files still present.
    for sums in /tmp/*.md5sums; do \
      pkg=$(basename "$sums" .md5sums); \
      while read -r sum path; do [ -e "/rootfs/$path" ] && printf '%s  %s\n' "$sum" "$path"; done \
        < "$sums" > "$status/$pkg.md5sums" || true; \
      [ -s "$status/$pkg.md5sums" ] || rm -f "$status/$pkg.md5sums"; \
    done; \
    # Users: root and the fixed non-root owner of /data.
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nbls:x:%s:%s:BLS:/data:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
      "$BLS_UID" "$BLS_GID" > etc/passwd; \
    printf 'root:x:0:\nbls:x:%s:\nnogroup:x:65534:\n' "$BLS_GID" > etc/group; \
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > etc/nsswitch.conf; \
    chmod 0644 etc/passwd etc/group etc/nsswitch.conf; \
    mkdir -p data tmp run root; \
    chown "$BLS_UID:$BLS_GID" data; chmod 0750 data; chmod 1777 tmp; chmod 0700 root; \
    # Prove that every shared library is there, with the rootfs's own loader.
    loader=$(cd /rootfs && ls "usr/lib/$ma"/ld-linux-*.so.* | head -n1); \
    for exe in usr/local/bin/bls-fcgi usr/sbin/nginx; do \
      chroot /rootfs "/$loader" --list "/$exe" > /tmp/ldd.txt; cat /tmp/ldd.txt; \
      if grep -q 'not found' /tmp/ldd.txt; then echo "missing library for /$exe" >&2; exit 1; fi; \
    done; \
    chroot /rootfs /usr/sbin/nginx -v; \
    chroot /rootfs /usr/local/bin/bls-fcgi --help > /dev/null

###############################################################################
FROM scratch
ARG BLS_UID=10001
ARG BLS_GID=10001
# OCI labels; CI sets the last three: --build-arg VERSION=1.2.3 \
#   --build-arg REVISION=$(git rev-parse HEAD) --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ARG SOURCE_URL=https://github.com/ALLiDoizCode/agent-society
ARG LICENSES=MIT
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
COPY --from=rootfs /rootfs/ /

LABEL org.opencontainers.image.title="bls" \
      org.opencontainers.image.description="BLS, the Business Logic Server: prices and stores Nostr events paid over Interledger (Swift FastCGI responder behind nginx)" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.url="${SOURCE_URL}" \
      org.opencontainers.image.licenses="${LICENSES}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"

ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin \
    DATA_DIR=/data \
    BLS_PORT=3100 \
    BLS_NGINX=/usr/sbin/nginx

# nginx listens here; the FastCGI socket is a unix socket under /tmp, never published.
EXPOSE 3100
VOLUME /data
WORKDIR /data
USER ${BLS_UID}:${BLS_GID}

# PID 1 is the supervisor: on SIGTERM it stops nginx gracefully, drains the responder,
# checkpoints the database and exits 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/bls-fcgi", "healthcheck"]

ENTRYPOINT ["/usr/local/bin/bls-fcgi"]
CMD ["run"]
