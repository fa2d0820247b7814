using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Tests.Tokens;

namespace SynoCertPanel.Core.Tests.Acme;

public sealed class AcmeNoncesTests
{
    [Fact]
    public void TryConsume_IssuedNonce_WorksOnceOnly()
    {
        var nonces = new AcmeNonces(TimeProvider.System);

        var nonce = nonces.Issue();

        Assert.Matches("^[A-Za-z0-9_-]{22}$", nonce);
        Assert.True(nonces.TryConsume(nonce));
        Assert.False(nonces.TryConsume(nonce));
    }

    [Fact]
    public void Issue_TwoNonces_Differ()
    {
        var nonces = new AcmeNonces(TimeProvider.System);

        Assert.NotEqual(nonces.Issue(), nonces.Issue());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("never-issued")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryConsume_UnknownNonce_IsFalse(string? nonce)
    {
        var nonces = new AcmeNonces(TimeProvider.System);
        nonces.Issue();

        Assert.False(nonces.TryConsume(nonce));
    }

    [Fact]
    public void TryConsume_AfterTheLifetime_IsFalse()
    {
        var clock = new MovableClock();
        var nonces = new AcmeNonces(clock);
        var stale = nonces.Issue();
        var fresh = nonces.Issue();

        clock.Advance(AcmeNonces.Lifetime + TimeSpan.FromSeconds(1));

        Assert.False(nonces.TryConsume(stale));
        Assert.True(nonces.TryConsume(nonces.Issue()));
        Assert.False(nonces.TryConsume(fresh));
    }

    [Fact]
    public void Issue_BeyondCapacity_ForgetsTheOldestAndStaysBounded()
    {
        var nonces = new AcmeNonces(TimeProvider.System);
        var first = nonces.Issue();
        var second = nonces.Issue();

        for (var i = 0; i < AcmeNonces.Capacity; i++)
        {
            nonces.Issue();
        }

        Assert.Equal(AcmeNonces.Capacity, nonces.Outstanding);
        Assert.False(nonces.TryConsume(first));
        Assert.False(nonces.TryConsume(second));
    }

    [Fact]
    public async Task TryConsume_RacedByManyThreads_SucceedsExactlyOnce()
    {
        var nonces = new AcmeNonces(TimeProvider.System);
        var nonce = nonces.Issue();

        var wins = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => nonces.TryConsume(nonce))));

        Assert.Single(wins, won => won);
    }
}
