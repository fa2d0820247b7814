using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SynoCertPanel.Core.Boxes.Ssh;

/// <summary>A login key made for one box: the private half stays sealed here, the public line goes into the box's authorized_keys.</summary>
/// <param name="PrivateKey">The private key in OpenSSH's own format (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>), unencrypted: it is sealed by the panel.</param>
/// <param name="AuthorizedKeysLine">One <c>authorized_keys</c> line: key type, public key, comment.</param>
public sealed record SshKeyPair(string PrivateKey, string AuthorizedKeysLine);

/// <summary>
/// Makes the per-box login keys. ECDSA P-256 because .NET generates it natively (Ed25519 would need BouncyCastle, which
/// stays in Pki), every OpenSSH since 5.7 accepts it, and SSH.NET loads it from the OpenSSH format written here.
/// Format: PROTOCOL.key in openssh-portable (openssh-key-v1, cipher "none").
/// </summary>
public static class SshKeys
{
    private const string KeyType = "ecdsa-sha2-nistp256";
    private const string Curve = "nistp256";

    /// <summary>A new key pair; <paramref name="comment"/> ends the public line so the box's owner sees whose key it is.</summary>
    public static SshKeyPair Generate(string comment = "synocertpanel")
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            var point = new byte[65];
            point[0] = 0x04;
            parameters.Q.X!.CopyTo(point, 1);
            parameters.Q.Y!.CopyTo(point, 33);

            var publicBlob = new SshWriter().String(KeyType).String(Curve).String(point).ToArray();
            var check = RandomNumberGenerator.GetBytes(4);
            var secret = new SshWriter().Raw(check).Raw(check).String(KeyType).String(Curve).String(point)
                .MpInt(parameters.D!).String(Encoding.UTF8.GetBytes(comment));
            // The private section is padded with 1, 2, 3, … to the cipher's block size (8 for "none").
            for (byte pad = 1; secret.Length % 8 != 0; pad++)
            {
                secret.Raw([pad]);
            }

            var file = new SshWriter().Raw("openssh-key-v1\0"u8.ToArray()).String("none").String("none").String([])
                .UInt32(1).String(publicBlob).String(secret.ToArray()).ToArray();
            var pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
            var body = Convert.ToBase64String(file);
            for (var i = 0; i < body.Length; i += 70)
            {
                pem.Append(body.AsSpan(i, Math.Min(70, body.Length - i))).Append('\n');
            }

            pem.Append("-----END OPENSSH PRIVATE KEY-----\n");
            return new SshKeyPair(pem.ToString(), $"{KeyType} {Convert.ToBase64String(publicBlob)} {comment}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>The SSH wire encoding (RFC 4251 §5): big-endian lengths before strings and integers.</summary>
    private sealed class SshWriter
    {
        private readonly List<byte> buffer = [];

        public int Length => buffer.Count;

        public SshWriter Raw(byte[] bytes)
        {
            buffer.AddRange(bytes);
            return this;
        }

        public SshWriter UInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            buffer.AddRange(bytes);
            return this;
        }

        public SshWriter String(byte[] bytes) => UInt32((uint)bytes.Length).Raw(bytes);

        public SshWriter String(string text) => String(Encoding.ASCII.GetBytes(text));

        /// <summary>A positive integer: a leading zero byte when the top bit is set, no other leading zeros.</summary>
        public SshWriter MpInt(byte[] magnitude)
        {
            var start = 0;
            while (start < magnitude.Length && magnitude[start] == 0)
            {
                start++;
            }

            var trimmed = magnitude[start..];
            return trimmed.Length > 0 && trimmed[0] >= 0x80 ? String([0, .. trimmed]) : String(trimmed);
        }

        public byte[] ToArray() => buffer.ToArray();
    }
}
