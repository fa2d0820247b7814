namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>One lab panel shared by a test class (its tests run one after another and each makes its own account).</summary>
public sealed class AcmeLabFixture : IAsyncLifetime
{
    internal AcmeLab Lab { get; private set; } = null!;

    public async Task InitializeAsync() => Lab = await AcmeLab.StartAsync();

    public async Task DisposeAsync() => await Lab.DisposeAsync();
}
