// Small browser helpers the server asks for over the circuit.
window.behaviorPoints = {
    // Minutes behind UTC, as the browser's Date reports it (e.g. -480 for UTC+8).
    timezoneOffset: () => new Date().getTimezoneOffset(),
};
