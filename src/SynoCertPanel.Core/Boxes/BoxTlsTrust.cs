using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// Decides, in the TLS handshake, whether the box's certificate is the pinned one (or, on first contact, pins it) or
/// chains to the home CA; remembers what it saw so the outcome can say so and the caller can store the pin.
/// One instance per delivery call.
/// </summary>
internal sealed class BoxTlsTrust
{
    private readonly List<string> _pins;
    private readonly X509Certificate2Collection? _homeCa;
    private readonly TimeProvider _time;

    private BoxTlsTrust(string host, List<string> pins, X509Certificate2Collection? homeCa, TimeProvider time)
    {
        Host = host;
        _pins = pins;
        _homeCa = homeCa;
        _time = time;
    }

    public string Host { get; }

    public bool PinMode => _homeCa is null;

    /// <summary>The SHA-256 (hex) of the last certificate the box showed and this trust accepted.</summary>
    public string? Accepted { get; private set; }

    /// <summary>Why the last handshake was refused, as a sentence for the operator.</summary>
    public string? Refusal { get; private set; }

    public static Result<BoxTlsTrust> From(DeliveryTarget target, Uri url, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(url);
        var host = BoxTls.HostAndPort(url);
        var pins = BoxTls.Fingerprints(target.Setting(BoxTls.FingerprintOption));
        if (pins is null)
        {
            return Result.Failure<BoxTlsTrust>(BoxTls.ValidateFingerprints(target.Setting(BoxTls.FingerprintOption) ?? string.Empty)!);
        }

        if ((target.Setting(BoxTls.TrustOption) ?? BoxTls.PinTrust) != BoxTls.HomeCaTrust)
        {
            return Result.Success(new BoxTlsTrust(host, [.. pins], null, time));
        }

        var pem = target.Setting(BoxTls.CaPemOption);
        if (pem is null)
        {
            return Result.Failure<BoxTlsTrust>($"Trust is {BoxTls.HomeCaTrust}, but no home CA is given: paste its certificate as {BoxTls.CaPemOption}, or set trust to {BoxTls.PinTrust}.");
        }

        var read = CertificateReader.ReadAll(Encoding.UTF8.GetBytes(pem));
        if (!read.IsSuccess || !read.Value.Any(c => c.IsCertificateAuthority))
        {
            return Result.Failure<BoxTlsTrust>(BoxTls.ValidateCaPem(pem) ?? "The home CA cannot be read.");
        }

        var anchors = new X509Certificate2Collection();
        foreach (var ca in read.Value.Where(c => c.IsCertificateAuthority))
        {
            anchors.Add(ca.ToX509Certificate2());
        }

        return Result.Success(new BoxTlsTrust(host, [.. pins], anchors, time));
    }

    /// <summary>The handshake callback: never "accept any".</summary>
    public bool Check(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = $"The box at {Host} showed no TLS certificate.";
            return false;
        }

        var seen = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        return PinMode ? CheckPin(seen) : CheckHomeCa(seen, certificate, chain, errors);
    }

    private bool CheckPin(string seen)
    {
        if (_pins.Count == 0 || _pins.Contains(seen))
        {
            Accepted = seen;
            Refusal = null;
            return true;
        }

        Refusal = $"The box at {Host} shows a TLS certificate with fingerprint {BoxTls.Show(seen)}, but {BoxTls.ShowAll(_pins)} was pinned. "
            + $"Nothing was sent. If you replaced the box's certificate yourself, clear the pinned fingerprint ({BoxTls.FingerprintOption}) and test again; otherwise something between the panel and the box answers in its place.";
        return false;
    }

    private bool CheckHomeCa(string seen, X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            Refusal = $"The box at {Host} shows a TLS certificate (fingerprint {BoxTls.Show(seen)}) that does not name {Host.Split(':')[0].Trim('[', ']')}; nothing was sent. Give the address its certificate names, or deliver one that names it.";
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_homeCa!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (custom.Build(leaf))
        {
            Accepted = seen;
            Refusal = null;
            return true;
        }

        var why = string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        Refusal = $"The box at {Host} shows a TLS certificate (fingerprint {BoxTls.Show(seen)}) that does not chain to the home CA given: {Display.Literal(why, 200)}. Nothing was sent.";
        return false;
    }

    /// <summary>
    /// The pin to store after this call: the certificate seen on first contact, or the pinned list trimmed to the one
    /// the box now shows (older ones dropped) once it shows the newest; null when nothing changes.
    /// </summary>
    public string? LearnedPin(string? delivered = null)
    {
        if (!PinMode || Accepted is null)
        {
            return null;
        }

        var pins = new List<string>(_pins.Count == 0 ? [Accepted] : _pins.Skip(Math.Max(0, _pins.IndexOf(Accepted))));
        if (delivered is not null)
        {
            var hex = delivered.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            pins.Remove(hex);
            pins.Add(hex);
        }

        pins = [.. pins.Skip(Math.Max(0, pins.Count - BoxTls.MaxPins))];
        return pins.SequenceEqual(_pins) ? null : string.Join(",", pins.Select(BoxTls.Show));
    }

    /// <summary>A step for the log: how the box's certificate was trusted.</summary>
    public string Describe() => Accepted is null
        ? $"Connected to {Host}."
        : !PinMode
            ? $"Connected to {Host}; its TLS certificate {BoxTls.Show(Accepted)} chains to the home CA."
            : _pins.Count == 0
                ? $"Connected to {Host}; pinned its TLS certificate {BoxTls.Show(Accepted)} on first contact (compare it with the one the box shows)."
                : $"Connected to {Host}; its TLS certificate {BoxTls.Show(Accepted)} is the pinned one.";
}
