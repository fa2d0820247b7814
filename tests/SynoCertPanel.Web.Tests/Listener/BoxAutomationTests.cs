using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Tests.Listener;

public sealed class BoxAutomationTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("box-automation-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Start_AfterAStopMidDeploy_MarksItUnfinished_AndProbesTheBoxAgain()
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_data))).Value;
        var added = await new BoxService(storage, BoxDeliveries.Standard(TimeProvider.System), TimeProvider.System)
            .AddAsync(new BoxDraft { Name = "nas2", Addresses = ["127.0.0.1"], Watch = ["127.0.0.1:1"] }, "admin");
        Assert.True(added.IsSuccess, added.Error);
        await using (var db = storage.CreateContext())
        {
            db.Deployments.Add(new DeploymentRecord { BoxId = added.Value.Id, StartedAt = DateTimeOffset.UtcNow, Actor = "admin", Outcome = DeploymentOutcome.Running });
            await db.SaveChangesAsync();
        }

        await using var panel = await RunningPanel.StartAsync(_data);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        DeploymentRecord row;
        BoxEndpointRecord endpoint;
        do
        {
            await Task.Delay(200);
            await using var db = storage.CreateContext();
            row = await db.Deployments.AsNoTracking().SingleAsync();
            endpoint = await db.BoxEndpoints.AsNoTracking().SingleAsync();
        }
        while ((row.Outcome == DeploymentOutcome.Running || endpoint.CheckedAt is null) && DateTime.UtcNow < deadline);

        Assert.Equal(DeploymentOutcome.Unfinished, row.Outcome);
        Assert.Contains("stopped in the middle", row.Message, StringComparison.Ordinal);
        Assert.Equal("unreachable", endpoint.State);
    }
}
