using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Recordings;

namespace Vox.Gateway.Api;

/// <summary>
/// <c>/v1/calls/{id}/recording</c>: a call's recording streamed from the recording store, with HTTP range requests (206) so
/// a browser's &lt;audio&gt; element can seek. Needs an <see cref="IRecordingStore"/> (<c>AddVoxRecordings</c>).
/// </summary>
internal static partial class RecordingsApi
{
    /// <summary>The content type of a call recording (a stereo WAV: caller and bot on their own channels).</summary>
    public const string WavContentType = "audio/wav";

    private const int SpoolBufferSize = 81_920;

    /// <summary>Maps the recording endpoint under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder v1)
    {
        v1.MapGet("/calls/{id}/recording", GetRecordingAsync).WithTags("Calls").WithName("GetCallRecording")
            .WithSummary("Stream a call's recording (stereo WAV); honours Range requests so players can seek")
            .Produces(StatusCodes.Status200OK, contentType: WavContentType)
            .Produces(StatusCodes.Status206PartialContent, contentType: WavContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>The recording of one of the caller's calls; 404 when the call is another tenant's, has no recording, or it is missing from the store.</summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetRecordingAsync(
        ClaimsPrincipal user,
        IGrainFactory grains,
        [FromServices] IRecordingStore store,
        [FromServices] ILoggerFactory loggers,
        HttpResponse response,
        string id,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new NotFoundException("call", id);
        }

        var call = await grains.GetGrain<ICallGrain>(id).GetAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(call.RecordingRef))
        {
            var detail = call.State == CallState.Ended ? $"Call '{id}' has no recording." : $"Call '{id}' has no recording yet: it is {call.State}.";
            return ApiProblems.Problem(StatusCodes.Status404NotFound, detail, "recording_not_found");
        }

        var recording = await store.OpenReadAsync(call.RecordingRef, cancellationToken).ConfigureAwait(false);
        if (recording is null)
        {
            LogMissing(loggers.CreateLogger(typeof(RecordingsApi).FullName!), id, call.RecordingRef, store.Provider);
            return ApiProblems.Problem(StatusCodes.Status404NotFound,
                $"The recording of call '{id}' is not in this host's recording store.", "recording_not_found");
        }

        // Ranges need a seekable stream; both stores give one, a store that cannot is served from a temporary copy.
        var content = recording.Content.CanSeek ? recording.Content : await SpoolAsync(recording, cancellationToken).ConfigureAwait(false);
        var contentType = recording.ContentType == "application/octet-stream" ? WavContentType : recording.ContentType;
        response.Headers.CacheControl = "private";
        return TypedResults.Stream(content, contentType, lastModified: recording.LastModified, enableRangeProcessing: true);
    }

    private static async Task<Stream> SpoolAsync(RecordingContent recording, CancellationToken cancellationToken)
    {
        await using (recording.ConfigureAwait(false))
        {
            var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"vox-playback-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, SpoolBufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            try
            {
                await recording.Content.CopyToAsync(spool, SpoolBufferSize, cancellationToken).ConfigureAwait(false);
                spool.Position = 0;
                return spool;
            }
            catch
            {
                await spool.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} names recording {RecordingRef}, which the {Provider} recording store does not have")]
    private static partial void LogMissing(ILogger logger, string callId, string recordingRef, string provider);
}
