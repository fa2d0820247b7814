using Bunit;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Components.Settings;

namespace SynoCertPanel.Web.Tests.Settings;

/// <summary>The Metrics section of the Settings page over a real database: off by default, on with ranges, bad ranges refused beside the field.</summary>
public sealed class MetricsSettingsTests : SettingsComponentTest
{
    private MetricsAccessStore Store => new(Storage, Time);

    private static AngleSharp.Dom.IElement Switch(IRenderedComponent<MetricsSettings> section) =>
        section.Find("input[data-testid=metrics-enabled], [data-testid=metrics-enabled] input");

    [Fact]
    public void NewPanel_ShowsOff()
    {
        var section = Render<MetricsSettings>();

        Assert.Equal("Now: /metrics is off.", Text(section, "metrics-state"));
        Assert.False(Switch(section).HasAttribute("checked"));
    }

    [Fact]
    public async Task TurnOn_WithRanges_StoresThemAndSaysSo()
    {
        var section = Render<MetricsSettings>();

        Switch(section).Change(true);
        section.Find("#metrics-ranges").Change("192.168.1.0/24,  fd00::/8");
        section.Find("form").Submit();

        section.WaitForAssertion(() => Assert.Equal("Saved: /metrics is on, with a metrics:read token or from 192.168.1.0/24, fd00::/8.", Text(section, "metrics-saved")));
        var stored = await Store.LoadAsync();
        Assert.True(stored.Value.Enabled);
        Assert.Equal("192.168.1.0/24, fd00::/8", AllowedRanges.Format(stored.Value.AllowedRanges));
        await using var db = Storage.CreateContext();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == MetricsAccessStore.AuditAction);
        Assert.Equal(UserName, audit.Actor);
    }

    [Theory]
    [InlineData("10.0.0.1/8", "\"10.0.0.1/8\" sets address bits past the /8 prefix; did you mean 10.0.0.0/8?")]
    [InlineData("192.168.1.0/24 192.168.1.300", "\"192.168.1.300\" is not an address range")]
    [InlineData("::/200", "\"::/200\" has no valid prefix length: after the / comes a whole number from 0 to 128.")]
    [InlineData("everyone", "\"everyone\" is not an address range")]
    public async Task TurnOn_BadRange_MessageBesideTheFieldAndStaysOff(string ranges, string message)
    {
        var section = Render<MetricsSettings>();

        Switch(section).Change(true);
        section.Find("#metrics-ranges").Change(ranges);
        section.Find("form").Submit();

        section.WaitForAssertion(() => Assert.Contains(message, Text(section, "metrics-ranges-error"), StringComparison.Ordinal));
        Assert.Equal("alert", section.Find("[data-testid=metrics-ranges-error]").GetAttribute("role"));
        Assert.Null(FindOrNull(section, "metrics-saved"));
        Assert.False((await Store.LoadAsync()).Value.Enabled);
        await using var db = Storage.CreateContext();
        Assert.Equal(AuditOutcome.Refused, (await db.AuditEvents.SingleAsync(e => e.Action == MetricsAccessStore.AuditAction)).Outcome);
    }

    [Fact]
    public async Task TurnOff_AfterOn_AnswersOffAndKeepsTheRanges()
    {
        Assert.True((await Store.EnableAsync("127.0.0.0/8", "test")).IsSuccess);
        var section = Render<MetricsSettings>();
        Assert.Equal("Now: /metrics is on, with a metrics:read token or from 127.0.0.0/8.", Text(section, "metrics-state"));

        Switch(section).Change(false);
        section.Find("form").Submit();

        section.WaitForAssertion(() => Assert.Equal("Saved: /metrics is off.", Text(section, "metrics-saved")));
        var stored = (await Store.LoadAsync()).Value;
        Assert.False(stored.Enabled);
        Assert.Equal("127.0.0.0/8", AllowedRanges.Format(stored.AllowedRanges));
    }
}
