using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Listener;

namespace SynoCertPanel.Web.Tests.Components;

/// <summary>
/// Component tests whose pages drive the real listener: a panel on 127.0.0.1 with a random port, and the components
/// given its storage, <see cref="ListenerService"/> and <see cref="ListenerRebinder"/>.
/// </summary>
public abstract class RunningPanelComponentTest : PanelComponentTest
{
    private readonly string _panelDirectory = Directory.CreateTempSubdirectory("synocert-ui-panel-").FullName;

    protected RunningPanel Panel { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Panel = await RunningPanel.StartAsync(_panelDirectory);
        var panel = Panel.App.Services;
        Services.AddSingleton(panel.GetRequiredService<PanelStorage>());
        Services.AddSingleton(panel.GetRequiredService<ListenerService>());
        Services.AddSingleton(panel.GetRequiredService<ListenerRebinder>());
    }

    protected override async Task DisposeMoreAsync()
    {
        await Panel.DisposeAsync();
        Directory.Delete(_panelDirectory, recursive: true);
    }
}
