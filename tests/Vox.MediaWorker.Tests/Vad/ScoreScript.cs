using Vox.MediaWorker.Vad;

namespace Vox.MediaWorker.Tests.Vad;

/// <summary>Scripted per-frame speech scores for driving the state machines frames-in, events-out.</summary>
internal sealed class ScoreScript
{
    public const double Speech = 1.0;
    public const double Silence = 0.0;

    private readonly List<double> _scores = [];

    /// <summary>Appends <paramref name="milliseconds"/> (whole 20 ms frames) of frames scoring <paramref name="score"/>.</summary>
    public ScoreScript Add(double score, int milliseconds)
    {
        Assert.True(milliseconds % 20 == 0, "Scripts are built from whole 20 ms frames.");
        for (int i = 0; i < milliseconds / 20; i++)
        {
            _scores.Add(score);
        }

        return this;
    }

    public ScoreScript Speak(int milliseconds) => Add(Speech, milliseconds);

    public ScoreScript Pause(int milliseconds) => Add(Silence, milliseconds);

    /// <summary>Runs the script through a state machine with <paramref name="options"/>.</summary>
    public List<VadFrameResult> Run(VadOptions? options = null)
    {
        var machine = new VadStateMachine(options);
        return _scores.ConvertAll(score => machine.Process(score));
    }

    public static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
