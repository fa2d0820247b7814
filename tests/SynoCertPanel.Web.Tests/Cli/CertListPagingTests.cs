using System.Globalization;
using System.Text.Json;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`cert list` over more rows than one page of the panel's list: a script gets all of them, or pages it can count.</summary>
public sealed class CertListPagingTests(CertListPagingTests.Seeded seeded) : IClassFixture<CertListPagingTests.Seeded>
{
    private const int Count = 620;

    /// <summary>Seeded once for the class (the seed CA plus <see cref="Count"/> certificates): the tests only read.</summary>
    public sealed class Seeded : IAsyncLifetime
    {
        public CliDataDirectory Directory { get; } = new();

        public async Task InitializeAsync()
        {
            var storage = (await PanelStorage.OpenAsync(new DataDirectory(Directory.Data))).Value;
            await InventorySeeder.SeedAsync(storage, TimeProvider.System, Count);
        }

        public Task DisposeAsync()
        {
            Directory.Dispose();
            return Task.CompletedTask;
        }
    }

    private static List<int> Ids(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();

    [Fact]
    public async Task CertList_MoreThan500_JsonHasEveryItemAndTheTotal()
    {
        var list = await seeded.Directory.RunJsonAsync("cert", "list");

        Assert.Equal(Count + 1, list.GetProperty("total").GetInt32());
        Assert.Equal(Enumerable.Range(1, Count + 1), Ids(list).Order());
        Assert.Equal(0, list.GetProperty("offset").GetInt32());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("limit").ValueKind);
    }

    [Fact]
    public async Task CertList_MoreThan500_TextHasOneLinePerCertificate()
    {
        var result = await seeded.Directory.RunAsync("cert", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Count + 1, result.Output.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task CertList_LimitAndOffset_PagesJoinToTheWholeListInOrder()
    {
        var whole = Ids(await seeded.Directory.RunJsonAsync("cert", "list"));
        var joined = new List<int>();
        for (var offset = 0; offset < whole.Count; offset += 250)
        {
            var page = await seeded.Directory.RunJsonAsync("cert", "list", "--limit", "250", "--offset", offset.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(Count + 1, page.GetProperty("total").GetInt32());
            Assert.Equal(250, page.GetProperty("limit").GetInt32());
            joined.AddRange(Ids(page));
        }

        Assert.Equal(whole, joined);
    }

    [Fact]
    public async Task CertList_SearchWithLimit_TotalCountsAllMatches()
    {
        var page = await seeded.Directory.RunJsonAsync("cert", "list", "--search", "lab.lan", "--limit", "10", "--offset", "150");

        Assert.Equal(Count / 4, page.GetProperty("total").GetInt32());
        Assert.Equal(5, Ids(page).Count);
    }

    [Theory]
    [InlineData("--limit", "0", "--limit must be 1 or more")]
    [InlineData("--offset", "-1", "--offset must be 0 or more")]
    public async Task CertList_BadRange_Refused(string option, string value, string expected)
    {
        CliDataDirectory.AssertRefused(await seeded.Directory.RunAsync("cert", "list", option, value), expected);
    }
}
