using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Web.Tests.Components;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>The component base with boxes added through the service and their endpoints' last states written as a probe would.</summary>
public abstract class BoxesComponentTest : PanelComponentTest
{
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = null!;

    protected BoxService Boxes => new(Storage, BoxDeliveries.Standard(Time), Time);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (Dialogs, _) = RenderProviders();
    }

    protected async Task<BoxSummary> AddBoxAsync(string name, string[] addresses, string[] watch, string delivery = "none",
        Dictionary<string, string>? settings = null, Dictionary<string, string>? secrets = null, int? authorityId = null, int? certificateId = null)
    {
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = name,
            Addresses = addresses,
            Watch = watch,
            Delivery = delivery,
            Settings = settings ?? [],
            Secrets = secrets ?? [],
            AuthorityId = authorityId,
            CertificateId = certificateId,
        }, UserName);
        Assert.True(added.IsSuccess, added.Error);
        return added.Value;
    }

    /// <summary>Writes an endpoint's last state as <see cref="BoxWatch"/> stores it.</summary>
    protected async Task SetStateAsync(int endpointId, string? state, string? message, DateTimeOffset? servedNotAfter = null)
    {
        await using var db = Storage.CreateContext();
        var endpoint = await db.BoxEndpoints.SingleAsync(e => e.Id == endpointId);
        endpoint.State = state;
        endpoint.Message = message;
        endpoint.CheckedAt = state is null ? null : new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        endpoint.ServedNotAfter = servedNotAfter;
        await db.SaveChangesAsync();
    }

    /// <summary>A loopback port nothing listens on (bound, then let go).</summary>
    protected static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    protected static string At(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    protected void Type(string testId, string value) =>
        Dialogs.Find($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").Input(value);

    protected string Value(string testId) =>
        Dialogs.Find($"input[data-testid={testId}], [data-testid={testId}] input").GetAttribute("value") ?? string.Empty;

    protected string Text(string testId) => Dialogs.Find($"[data-testid={testId}]").TextContent;
}
