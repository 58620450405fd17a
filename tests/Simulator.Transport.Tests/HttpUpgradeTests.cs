using System.Text;

namespace Simulator.Transport.Tests;

public sealed class HttpUpgradeTests
{
    [Fact]
    public void The_accept_value_is_the_RFC_6455_example()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HttpUpgrade.ExpectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void Keys_are_random_16_byte_nonces()
    {
        var a = HttpUpgrade.NewKey();
        var b = HttpUpgrade.NewKey();
        Assert.NotEqual(a, b);
        Assert.Equal(16, Convert.FromBase64String(a).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Reading_the_response_head_never_consumes_bytes_after_the_blank_line(int chunk)
    {
        const string Head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(Head + "\x81\x05hello");
        using var stream = new ChunkedStream(bytes, chunk);

        var (head, tooLarge) = await HttpUpgrade.ReadResponseHeadAsync(stream, CancellationToken.None);

        Assert.False(tooLarge);
        Assert.Equal(Head, head);
        Assert.Equal(Head.Length, stream.Position);
    }

    [Fact]
    public async Task A_head_without_end_is_too_large_after_8_KiB()
    {
        using var stream = new ChunkedStream(Encoding.ASCII.GetBytes("HTTP/1.1 101 OK\r\nX: " + new string('a', 10_000)), 4096);
        var (head, tooLarge) = await HttpUpgrade.ReadResponseHeadAsync(stream, CancellationToken.None);
        Assert.Null(head);
        Assert.True(tooLarge);
    }

    [Fact]
    public void Headers_parse_case_insensitively_and_repeated_ones_join()
    {
        var response = HttpUpgrade.ParseResponse("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive\r\nconnection: Upgrade\r\n\r\n");
        Assert.NotNull(response);
        Assert.Equal(101, response.Value.StatusCode);
        Assert.Equal("WebSocket", response.Value.Headers["Upgrade"]);
        Assert.True(HttpUpgrade.HasToken(response.Value.Headers["CONNECTION"], "upgrade"));
        Assert.Null(HttpUpgrade.ParseResponse("HTTP/1.1 abc nope\r\n\r\n"));
    }

    [Fact]
    public void The_request_carries_key_version_protocol_and_optional_credentials()
    {
        var request = HttpUpgrade.BuildRequest("/ocpp/CP-1", "csms:9000", "a2V5", "ocpp1.6", "Q1AtMTpwdw==");
        Assert.StartsWith("GET /ocpp/CP-1 HTTP/1.1\r\nHost: csms:9000\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Key: a2V5\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Protocol: ocpp1.6\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nAuthorization: Basic Q1AtMTpwdw==\r\n", request, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", request, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", HttpUpgrade.BuildRequest("/x", "h", "k", "p", null), StringComparison.Ordinal);
    }

    /// <summary>A read-only stream that returns at most <c>chunk</c> bytes per read and counts what was consumed.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
