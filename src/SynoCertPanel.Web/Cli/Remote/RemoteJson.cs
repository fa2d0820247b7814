using System.Text.Json;
using System.Text.Json.Serialization;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// The API's answers and bodies, read and written by generated code: no reflection over the records at start-up, which
/// a command line that makes one call would otherwise pay for on every run. A missing or null field the record
/// requires makes the answer "not the panel's API" instead of a row with holes.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CertificateList))]
[JsonSerializable(typeof(CertificateDocument))]
[JsonSerializable(typeof(CreateCertificateBody))]
[JsonSerializable(typeof(RenewCertificateBody))]
[JsonSerializable(typeof(RenewalDocument))]
[JsonSerializable(typeof(SetDefaultBody))]
[JsonSerializable(typeof(DefaultCertificateDocument))]
[JsonSerializable(typeof(DeletedCertificateDocument))]
[JsonSerializable(typeof(AuthorityList))]
[JsonSerializable(typeof(SignRequestBody))]
[JsonSerializable(typeof(PendingRequestList))]
[JsonSerializable(typeof(PendingRequestDocument))]
[JsonSerializable(typeof(CancelledRequestDocument))]
[JsonSerializable(typeof(AuthorityDocument))]
[JsonSerializable(typeof(ExportKeyBody))]
[JsonSerializable(typeof(CreateRequestBody))]
[JsonSerializable(typeof(ImportAnswer))]
internal sealed partial class RemoteJson : JsonSerializerContext;
