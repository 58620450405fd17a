# FleetSim: one image for every role (fleet, CSMS, later cluster workers); the command picks the role.
#   docker build -t fleetsim .
#   docker run --rm fleetsim run profiles/smoke.yaml
# dashboards/check-dockerfile.sh runs the build stage's steps outside Docker (tests/run-all.sh, and the dashboards tests).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Native AOT compiles to machine code and links with the platform's C toolchain (clang, zlib).
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# The shipped profiles are built into the tool (fleetsim run smoke, fleetsim profiles, fleetsim init).
COPY profiles/ profiles/
# Compiled ahead of time (Native AOT): one executable, no JIT compiler and no IL images in memory, no JIT during the boot.
# At 1,000 and 5,000 charge points ~17 MiB less resident and a shorter boot than the JIT build
# (tests/benchmarks/results/2026-12-05-aot.txt). The debug symbols (.dbg) stay out of the image. TARGETARCH is set by
# BuildKit (amd64, arm64).
ARG TARGETARCH
RUN dotnet publish src/Simulator.Cli/Simulator.Cli.csproj -c Release --os linux -a "${TARGETARCH:-amd64}" -p:PublishAot=true -o /app/publish && rm -f /app/publish/*.dbg /app/publish/*.pdb

# A native executable needs only the runtime's OS dependencies (libc, OpenSSL), not .NET.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS final
# The HTML report's charts (ScottPlot on SkiaSharp) draw their text with a system font; the base image has none.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/publish ./
COPY profiles/ profiles/
USER $APP_UID
ENTRYPOINT ["./fleetsim"]
CMD ["--help"]
