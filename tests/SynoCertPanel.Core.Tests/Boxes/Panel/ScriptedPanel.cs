using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests.Boxes.Panel;

/// <summary>
/// A box that makes its own key, scripted: it answers a CSR for the names it is told (by default the ones asked for),
/// records each call and what it was given, and fails the step it is told to. For the deploy's own steps around the
/// method (refusals, the name check, signing, withdraw and restore); the real method is tested against real panels.
/// </summary>
internal sealed class ScriptedPanel : IRequestingDelivery
{
    public DeliveryKind Kind => DeliveryKind.Panel;

    public IReadOnlyList<DeliveryOption> Options { get; } = [];

    /// <summary>Names the CSR carries instead of the ones asked for.</summary>
    public IReadOnlyList<string>? CsrNames { get; set; }

    public DeliveryFailure? InstallFails { get; set; }

    public List<string> Calls { get; } = [];

    public SignedForBox? Installed { get; private set; }

    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken) => Task.FromResult(DeliveryOutcome.Success("reachable"));

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A box that makes its own key is never sent one.");

    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A box that makes its own key is restored by RestoreServedAsync.");

    public Task<BoxRequestOutcome> RequestAsync(DeliveryTarget target, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        Calls.Add("request " + string.Join(",", names));
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var csr = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create((CsrNames ?? names)[0]).Value, SanParser.ParseAll(CsrNames ?? names).Value, key);
        Assert.True(csr.IsSuccess, csr.Error);
        return Task.FromResult(new BoxRequestOutcome(DeliveryOutcome.Success("made request 7"), new BoxRequest(csr.Value.ToPem(), "7", "3")));
    }

    public Task<DeliveryOutcome> InstallAsync(DeliveryTarget target, BoxRequest request, SignedForBox certificate, CancellationToken cancellationToken)
    {
        Calls.Add("install " + request.Handle);
        Installed = certificate;
        return Task.FromResult(InstallFails is { } failure ? DeliveryOutcome.Failed(failure, "refused by the box") : DeliveryOutcome.Success("serves it"));
    }

    public Task<DeliveryOutcome> RestoreServedAsync(DeliveryTarget target, BoxRequest request, CancellationToken cancellationToken)
    {
        Calls.Add("restore " + request.Served);
        return Task.FromResult(DeliveryOutcome.Success("serves 3 again"));
    }

    public Task<DeliveryOutcome> WithdrawAsync(DeliveryTarget target, BoxRequest request, CancellationToken cancellationToken)
    {
        Calls.Add("withdraw " + request.Handle);
        return Task.FromResult(DeliveryOutcome.Success("withdrew 7"));
    }
}
