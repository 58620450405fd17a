using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>DiagnosticsStatusNotification.req <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<DiagnosticsStatus>))]
public enum DiagnosticsStatus
{
    Idle,
    Uploaded,
    UploadFailed,
    Uploading,
}

/// <summary>FirmwareStatusNotification.req <c>status</c> (the 1.6 set; the signed-firmware set is <see cref="SignedFirmwareStatus"/>).</summary>
[JsonConverter(typeof(OcppEnumConverter<FirmwareStatus>))]
public enum FirmwareStatus
{
    Downloaded,
    DownloadFailed,
    Downloading,
    Idle,
    InstallationFailed,
    Installing,
    Installed,
}
