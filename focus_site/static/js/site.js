// Progressive enhancement only: every page works without this file.
document.documentElement.classList.remove("no-js");

// Click-to-load video: nothing from the video host loads until the reader asks.
document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-video-player]");
    if (!trigger) return;
    const src = trigger.getAttribute("data-video-player");
    if (!src) return;
    event.preventDefault();
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = trigger.getAttribute("data-video-title") || "Video player";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    const container = trigger.closest(".video-player");
    container.replaceChildren(frame);
    frame.focus();
});
