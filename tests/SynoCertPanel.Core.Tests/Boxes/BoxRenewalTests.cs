using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Tests.Boxes;

public sealed class BoxRenewalTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 90)]
    [InlineData(2, 90)]
    [InlineData(3, 397)]
    [InlineData(4, 1)]
    public void DueAt_IsBetweenTwoThirdsAndTwoThirdsPlusATwentieth_AndStable(int boxId, int days)
    {
        var end = Start.AddDays(days);
        var lifetime = end - Start;

        var due = BoxRenewal.DueAt(Start, end, boxId);

        Assert.InRange(due, Start + (lifetime * 2 / 3), Start + (lifetime * 2 / 3) + (lifetime / 20));
        Assert.Equal(due, BoxRenewal.DueAt(Start, end, boxId));
    }

    [Fact]
    public void DueAt_SpreadsBoxesMadeTogether()
    {
        var due = Enumerable.Range(1, 20).Select(id => BoxRenewal.DueAt(Start, Start.AddDays(90), id)).Distinct().Count();

        Assert.True(due > 10, $"only {due} distinct moments for 20 boxes");
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(20, 1440)]
    public void Backoff_DoublesFromAQuarterHour_CappedAtADay(int failures, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), BoxRenewal.Backoff(failures));
}
