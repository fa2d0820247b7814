using ListenerLoad;

// run:       hosts the panel (swappable certificate) and a static-certificate Kestrel, drives a client process against both.
// client:    the second process: new TLS connection per request, for a bounded time and count, loopback only.
// rebind:    moves the panel's listener between ports and addresses in-process while clients use the old endpoint.
// footprint: starts the published app and measures time to first HTTPS 200 and idle RSS.
// ratio:     the published panel against the bare Blazor + MudBlazor + EF Core reference app, in turns, medians and ratio.
// floor:     the child the footprint run measures for scale: a bare Kestrel answering over HTTPS.
return args switch
{
    ["client", var port, var seconds, var concurrency, var log] => await LoadClient.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), int.Parse(concurrency, System.Globalization.CultureInfo.InvariantCulture), log),
    ["run", var seconds] => await SwapRun.RunAsync(int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["footprint", var app] => await Footprint.RunAsync(app),
    ["ratio", var panel, var bare, var runs] => await Footprint.RatioAsync(panel, bare, int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture)),
    ["floor", var port] => await Footprint.FloorAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    ["rebind", var moves] => await RebindRun.RunAsync(int.Parse(moves, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ListenerLoad run SECONDS | rebind MOVES | footprint PATH-TO-PUBLISHED-synocertpanel | ratio PANEL BARE RUNS | floor PORT | client PORT SECONDS CONCURRENCY LOGFILE");
    return 2;
}
