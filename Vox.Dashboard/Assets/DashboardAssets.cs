using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Vox.Dashboard.Assets;

/// <summary>
/// The browser side (HTML, JS, CSS) compiled into this assembly: served from memory with an ETag of the build, so the
/// silo needs no wwwroot folder beside it and no front-end build step.
/// </summary>
public sealed class DashboardAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, byte[]> _files;
    private readonly string _etag;

    /// <summary>Loads every embedded asset.</summary>
    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        _files = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[Prefix.Length..].Replace('\\', '/'), n => Read(assembly, n), StringComparer.Ordinal);
        _etag = $"\"{assembly.ManifestModule.ModuleVersionId:N}\"";
    }

    /// <summary>The asset at <paramref name="path"/> (relative to wwwroot), or null.</summary>
    public IResult? Serve(HttpContext context, string path)
    {
        if (!_files.TryGetValue(path, out var content))
        {
            return null;
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (path.EndsWith(".html", StringComparison.Ordinal))
        {
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; frame-ancestors 'none'";
        }

        return context.Request.Headers.IfNoneMatch == _etag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(content, ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"), entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(_etag));
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
