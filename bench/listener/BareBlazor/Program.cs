using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BareBlazor;
using BareBlazor.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

// Usage: bareblazor serve --data DIR --https-port PORT (the same arguments the footprint run gives the panel).
var data = Argument(args, "--data") ?? Path.Combine(Environment.CurrentDirectory, "data");
var port = int.Parse(Argument(args, "--https-port") ?? "9443", CultureInfo.InvariantCulture);
Directory.CreateDirectory(data);

using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);

var builder = WebApplication.CreateBuilder();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
builder.Services.AddDbContextFactory<BareDb>(options => options.UseSqlite($"Data Source={Path.Combine(data, "bare.db")}"));
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();
await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BareDb>>().CreateDbContextAsync())
{
    await db.Database.EnsureCreatedAsync();
    if (!await db.Items.AnyAsync())
    {
        db.Items.Add(new Item { Name = "first", NotAfter = DateTimeOffset.UtcNow.AddDays(90) });
        await db.SaveChangesAsync();
    }
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapGet("/health", () => "ok");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
await app.RunAsync();

static string? Argument(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
