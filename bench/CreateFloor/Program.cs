using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

// One P-256 root and one P-256 server certificate from it, printed as PEM: the cryptographic work of
// `cert create --key p256` (plus the root's key and signature), with none of the panel around it.
var issuer = new CertificateIssuer();
var root = issuer.CreateRootCa(new RootCaOptions
{
    Subject = DistinguishedName.Create("Floor Root CA", "Home Lab").Value,
    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
}).Value;
var authority = CertificateAuthority.Create(root.Certificate, root.Key!).Value;
var leaf = issuer.IssueLeaf(authority, new LeafOptions
{
    Subject = DistinguishedName.Create("floor.lab.internal").Value,
    SubjectAlternativeNames = SanParser.ParseList("floor.lab.internal").Value,
    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
});
if (!leaf.IsSuccess)
{
    Console.Error.WriteLine(leaf.Error);
    return 1;
}

Console.Write(Pem.Encode("CERTIFICATE", leaf.Value.Certificate.RawData.Span));
return 0;
