using System.Net.Sockets;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>
/// The connect errors loopback cannot produce on demand (no route, network down), classified from the socket
/// error the platform reports; refused and timeouts are produced for real in EndpointProbeTests.
/// </summary>
public class ProbeFailuresTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, ProbeFailureKind.Refused, "refused the connection")]
    [InlineData(SocketError.HostUnreachable, ProbeFailureKind.Unreachable, "no route to the host")]
    [InlineData(SocketError.NetworkUnreachable, ProbeFailureKind.Unreachable, "network unreachable")]
    [InlineData(SocketError.NetworkDown, ProbeFailureKind.Unreachable, "the network is down")]
    [InlineData(SocketError.TimedOut, ProbeFailureKind.Timeout, "did not accept a connection in time")]
    public void Connect_SocketError_IsClassified(SocketError error, ProbeFailureKind kind, string sentence)
    {
        var failure = ProbeFailures.Connect(ProbeTarget.For("nas.home.arpa", 5001), new SocketException((int)error));

        Assert.Equal(kind, failure.Kind);
        Assert.Contains(sentence, failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("nas.home.arpa:5001", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 21, 3, 3, 0, 2, 2, 112 }, 112, "unrecognized name")]
    [InlineData(new byte[] { 21, 3, 1, 0, 2, 2, 70 }, 70, "protocol version")]
    public void TlsAlert_FromPlaintextRecord_NamesTheAlert(byte[] record, int code, string name)
    {
        var alert = TlsAlert.FromRecord(record);

        Assert.Equal(code, alert?.Code);
        Assert.Equal(name, alert?.Name);
    }

    [Theory]
    [InlineData(new byte[] { 22, 3, 3, 0, 2, 2, 40 })]
    [InlineData(new byte[] { 21, 3, 3, 0, 3, 2, 40 })]
    [InlineData(new byte[] { 21, 3, 3 })]
    public void TlsAlert_OtherBytes_IsNull(byte[] record)
    {
        Assert.Null(TlsAlert.FromRecord(record));
    }

    [Theory]
    [InlineData("error:0A000458:SSL routines::tlsv1 alert unrecognized name", 112)]
    [InlineData("error:0A000410:SSL routines::sslv3 alert handshake failure", 40)]
    [InlineData("error:0A00045C:SSL routines::tlsv13 alert certificate required", 116)]
    public void TlsAlert_FromOpenSslText_FindsTheAlert(string text, int code)
    {
        Assert.Equal(code, TlsAlert.FromOpenSslText(text)?.Code);
    }

    [Fact]
    public void TlsAlert_FromOpenSslTextWithoutAlert_IsNull()
    {
        Assert.Null(TlsAlert.FromOpenSslText("error:0A00010B:SSL routines::wrong version number"));
    }
}
