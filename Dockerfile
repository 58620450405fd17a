# FleetSim: one image for every role (fleet, CSMS, later cluster workers); the command picks the role.
#   docker build -t fleetsim .
#   docker run --rm fleetsim run profiles/smoke.yaml
# dashboards/check-dockerfile.sh runs the build stage's steps outside Docker (the dashboards tests call it).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# The shipped profiles are built into the tool (fleetsim run smoke, fleetsim profiles, fleetsim init).
COPY profiles/ profiles/
# ReadyToRun (precompiled code in the dlls, framework-dependent for the aspnet image): the fleet starts without JIT-compiling
# its start-up path first (tests/benchmarks/results/2026-12-05-startup-*.txt). TARGETARCH is set by BuildKit (amd64, arm64).
# A self-contained composite (the framework in the same image) boots on less CPU but holds ~27 MiB more resident image
# pages per process (results/2026-12-05-jit-forms.txt): this image keeps the framework-dependent form.
ARG TARGETARCH
RUN dotnet publish src/Simulator.Cli/Simulator.Cli.csproj -c Release --os linux -a "${TARGETARCH:-amd64}" --self-contained false -p:PublishReadyToRun=true -o /app/publish

# The CLI serves /metrics and the CSMS with Kestrel, so it needs the ASP.NET Core runtime, not only the .NET one.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
# The HTML report's charts (ScottPlot on SkiaSharp) draw their text with a system font; the aspnet image has none.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/publish ./
COPY profiles/ profiles/
USER $APP_UID
ENTRYPOINT ["dotnet", "fleetsim.dll"]
CMD ["--help"]
