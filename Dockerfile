# TrailSieve worker image. Build from the repository root:
#   docker build -t trailsieve .
#   docker run --rm trailsieve validate /app/rules/default.yaml
# The default command is the SQS-driven service (`trailsieve run`); pass its options after the image name.

# ---- build ----------------------------------------------------------------------------------------------------------
# The SDK runs on the build machine's platform and publishes for the target's (TARGETARCH: amd64 or arm64):
# ReadyToRun compiles with the crossgen pack of the build machine (served here for linux-x64 only) and the target's
# runtime pack, so an arm64 image builds on an x64 machine without emulation.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src

# Restore layer: only the files restore reads, so editing source does not invalidate the package download.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/TrailSieve.Core/TrailSieve.Core.csproj src/TrailSieve.Core/
COPY src/TrailSieve.Analytics/TrailSieve.Analytics.csproj src/TrailSieve.Analytics/
COPY src/TrailSieve.Worker/TrailSieve.Worker.csproj src/TrailSieve.Worker/
# One runtime identifier, the target platform's: DuckDB.NET.Data.Full carries native libraries for six platforms
# (~310 MB); a RID-specific framework-dependent publish keeps only this one (~65 MB). Without TARGETARCH (the classic
# builder) the build machine's own platform.
RUN arch="${TARGETARCH:-$(uname -m)}" \
 && echo "linux-$(echo "$arch" | sed -e 's/^x86_64$/x64/' -e 's/^amd64$/x64/' -e 's/^aarch64$/arm64/')" > /tmp/rid \
 && dotnet restore src/TrailSieve.Worker/TrailSieve.Worker.csproj -r "$(cat /tmp/rid)"

COPY src/ src/
# The report embeds rules/detections/high-risk.yaml (its high-risk actions are that pack's detections).
COPY rules/ rules/
# Self-contained composite ReadyToRun publish for the target platform (the project's publish settings: the framework
# and the app precompiled as one image, docs/design/startup.md); the apphost is /app/trailsieve (AssemblyName).
RUN dotnet publish src/TrailSieve.Worker -c Release -r "$(cat /tmp/rid)" -o /app

# ---- runtime --------------------------------------------------------------------------------------------------------
# runtime-deps: the runtime, libSystem.IO.Compression.Native (zlib-ng, the gzip fallback) included, ships inside the
# self-contained app. A runtime patch is picked up by rebuilding the image, as a base-image patch already is.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app

# ISA-L (igzip) for Pipeline:Compression=auto: several times zlib's speed to gunzip and gzip. The runtime library only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libisal2 \
 && rm -rf /var/lib/apt/lists/*

# Workstation GC: one small heap per process suits a 0.5-2 vCPU task better than a server heap per core.
ENV DOTNET_gcServer=0
# Single-line JSON logs (UTC timestamps) for CloudWatch Logs; unset it for the plain single-line format.
ENV TRAILSIEVE_LOG_FORMAT=json

# Application and rules are owned by root and read-only for the process user.
COPY --from=build /app ./
COPY rules/ /app/rules/

# The non-root `app` user (UID 1654) that the .NET images define; APP_UID is set by the base image.
USER $APP_UID

# Liveness without an HTTP server: `trailsieve run` touches /tmp/trailsieve.heartbeat while its loops make progress
# (Health:HeartbeatFile, Health:MaxAge); `trailsieve health` fails once it is older than the maximum age.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/trailsieve", "health"]

ENTRYPOINT ["/app/trailsieve"]
CMD ["run"]
