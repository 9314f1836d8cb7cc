// Small browser helpers the server asks for over the circuit.
window.behaviorPoints = {
    // Minutes behind UTC, as the browser's Date reports it (e.g. -480 for UTC+8).
    timezoneOffset: () => new Date().getTimezoneOffset(),

    // A panel (the entry drawer) takes the focus when it opens and gives it back to what opened it when it closes.
    openers: [],
    focusPanel: (selector) => {
        window.behaviorPoints.openers.push(document.activeElement);
        document.querySelector(selector)?.focus();
    },
    returnFocus: () => {
        const opener = window.behaviorPoints.openers.pop();
        if (opener && opener.isConnected) {
            opener.focus();
        }
    },
};
