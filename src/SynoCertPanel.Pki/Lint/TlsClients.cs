namespace SynoCertPanel.Pki.Lint;

/// <summary>The clients a finding breaks. Chrome covers Edge and the other Chromium browsers; Android means Chrome on Android.</summary>
[Flags]
public enum TlsClients
{
    None = 0,
    Chrome = 1,

    /// <summary>Safari, iOS, iPadOS and macOS (the Apple trust evaluation every app uses).</summary>
    Apple = 2,
    Firefox = 4,
    Windows = 8,
    Android = 16,

    /// <summary>OpenSSL-based tools (curl, wget, Python, openssl s_client/verify -x509_strict).</summary>
    OpenSsl = 32,

    Browsers = Chrome | Apple | Firefox | Windows | Android,
    All = Browsers | OpenSsl,
}
