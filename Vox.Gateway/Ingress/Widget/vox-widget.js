// Vox browser widget: talks to a Vox bot over /widget/{botId} (the native Vox media protocol, docs/native-protocol.md).
// Microphone: getUserMedia -> AudioWorklet at 16 kHz -> 20 ms PCM16 binary messages. Playback: PCM16 from the bot ->
// AudioWorklet queue (dropped at once on "clear", the bot's barge-in). Transcript lines appear as the bot sends them.
// Embed: <script src="https://vox.example.com/widget/vox-widget.js"></script>
//        <div id="talk"></div><script>VoxWidget.mount(document.getElementById('talk'), { url: 'wss://…/widget/bot_…?token=…' })</script>
(function () {
  'use strict';
  const RATE = 16000;
  const FRAME = RATE / 50; // 20 ms

  const worklets = `
class VoxCapture extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Int16Array(${FRAME}); this.n = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) {
      for (let i = 0; i < ch.length; i++) {
        const s = Math.max(-1, Math.min(1, ch[i]));
        this.buf[this.n++] = s < 0 ? s * 0x8000 : s * 0x7fff;
        if (this.n === this.buf.length) { this.port.postMessage(this.buf.buffer, [this.buf.buffer]); this.buf = new Int16Array(${FRAME}); this.n = 0; }
      }
    }
    return true;
  }
}
class VoxPlayback extends AudioWorkletProcessor {
  constructor() {
    super(); this.queue = []; this.cur = null; this.pos = 0; this.played = 0;
    this.port.onmessage = (e) => {
      if (e.data === 'clear') { this.queue = []; this.cur = null; this.pos = 0; return; }
      this.queue.push(new Int16Array(e.data));
    };
  }
  process(inputs, outputs) {
    const out = outputs[0][0];
    let had = false;
    for (let i = 0; i < out.length; i++) {
      if (!this.cur || this.pos >= this.cur.length) { this.cur = this.queue.shift() || null; this.pos = 0; }
      if (this.cur) { out[i] = this.cur[this.pos++] / 0x8000; had = true; } else { out[i] = 0; }
    }
    if (had) { this.played += out.length; if (this.played >= ${RATE} / 10) { this.port.postMessage(this.played); this.played = 0; } }
    return true;
  }
}
registerProcessor('vox-capture', VoxCapture);
registerProcessor('vox-playback', VoxPlayback);`;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function mount(root, options) {
    const state = { status: 'idle', samplesPlayed: 0, framesReceived: 0, framesSent: 0, transcript: [], closeCode: null, closeReason: null };
    const box = el('div', 'vox-widget');
    const button = el('button', 'vox-talk', 'Talk');
    const status = el('div', 'vox-status', 'Ready');
    const transcript = el('div', 'vox-transcript');
    box.append(button, status, transcript);
    root.append(box);
    let call = null;

    function setStatus(s, text) { state.status = s; status.textContent = text; }
    function line(role, text) {
      state.transcript.push({ role, text });
      const p = el('p', 'vox-line vox-' + role);
      p.append(el('b', null, role === 'user' ? 'You: ' : 'Bot: '), document.createTextNode(text));
      transcript.append(p);
      transcript.scrollTop = transcript.scrollHeight;
    }

    async function start() {
      setStatus('connecting', 'Connecting…');
      button.textContent = 'Hang up';
      const context = new AudioContext({ sampleRate: RATE });
      const module = URL.createObjectURL(new Blob([worklets], { type: 'text/javascript' }));
      await context.audioWorklet.addModule(module);
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, sampleRate: RATE } });
      const capture = new AudioWorkletNode(context, 'vox-capture');
      const playback = new AudioWorkletNode(context, 'vox-playback');
      playback.port.onmessage = (e) => { state.samplesPlayed += e.data; };
      const mic = context.createMediaStreamSource(stream);
      mic.connect(capture);
      playback.connect(context.destination);
      await context.resume();

      const socket = new WebSocket(options.url);
      socket.binaryType = 'arraybuffer';
      call = { context, stream, socket, capture, playback };
      let live = false;
      // Listen from the start and drop what the microphone caught before the call was live: a port without a listener
      // queues, and the backlog would reach the bot as a burst faster than real time.
      capture.port.onmessage = (e) => { if (live && socket.readyState === WebSocket.OPEN) { socket.send(e.data); state.framesSent++; } };
      socket.onopen = () => {
        socket.send(JSON.stringify({ type: 'start', sampleRate: RATE }));
        live = true;
        setStatus('live', 'Connected: speak now');
      };
      socket.onmessage = (e) => {
        if (typeof e.data !== 'string') { state.framesReceived++; playback.port.postMessage(e.data, [e.data]); return; }
        const m = JSON.parse(e.data);
        if (m.type === 'transcript' && m.final !== false && m.text) line(m.role, m.text);
        else if (m.type === 'clear') playback.port.postMessage('clear');
        else if (m.type === 'end') setStatus('ended', 'Call ended (' + m.reason + ')');
      };
      socket.onclose = (e) => {
        state.closeCode = e.code; state.closeReason = e.reason;
        if (state.status !== 'ended') setStatus('ended', e.code === 1013 ? 'All lines are busy, try again later' : 'Call ended' + (e.reason ? ' (' + e.reason + ')' : ''));
        stop(false);
      };
    }

    function stop(hangUp) {
      if (!call) return;
      const c = call; call = null;
      if (hangUp && c.socket.readyState === WebSocket.OPEN) { c.socket.send(JSON.stringify({ type: 'stop' })); }
      c.stream.getTracks().forEach((t) => t.stop());
      setTimeout(() => c.context.close(), 500);
      button.textContent = 'Talk';
    }

    button.addEventListener('click', () => {
      if (call) { stop(true); } else { start().catch((err) => { setStatus('error', 'Could not start: ' + err.message); stop(false); }); }
    });
    return { state, start, stop: () => stop(true), button };
  }

  window.VoxWidget = { mount };
})();
