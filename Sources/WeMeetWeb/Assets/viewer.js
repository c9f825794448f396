// The image viewer: a photo over the whole page, with previous and next (the other photos of
// the same list: a conversation, a group's posts, moments), save and close. Keyboard: ← → and Esc.
import { t } from "/assets/strings.js";
import { $, button, element, guarded } from "/assets/common.js";

let photos = [];
let index = 0;

function show() {
  const photo = photos[index];
  if (!photo) return;
  $("viewer-image").src = photo.currentSrc || photo.src;
  $("viewer-image").alt = photo.alt;
  $("viewer-caption").textContent = photo.alt;
  $("viewer-position").textContent = photos.length > 1 ? t("viewer.position", { index: index + 1, count: photos.length }) : "";
  $("viewer-previous").disabled = index === 0;
  $("viewer-next").disabled = index === photos.length - 1;
}

/** Opens the viewer at `image`, with the photos of the list it is in. */
export function openViewer(image) {
  const scope = image.closest("ol, ul") ?? document;
  photos = [...scope.querySelectorAll(".attachment img")];
  index = Math.max(0, photos.indexOf(image));
  show();
  if (!$("viewer").open) $("viewer").showModal();
  $("viewer-close").focus();
}

const step = (by) => { index = Math.min(photos.length - 1, Math.max(0, index + by)); show(); };
$("viewer-previous").addEventListener("click", () => step(-1));
$("viewer-next").addEventListener("click", () => step(1));
$("viewer-close").addEventListener("click", () => $("viewer").close());
$("viewer-save").addEventListener("click", () => guarded($("viewer-error"), () => photos[index]?._save?.()));
$("viewer").addEventListener("keydown", (event) => {
  if (event.key === "ArrowLeft") step(-1);
  if (event.key === "ArrowRight") step(1);
});
// A click on the dark backdrop (not on a control or the photo) closes it too.
$("viewer").addEventListener("click", (event) => { if (event.target === $("viewer")) $("viewer").close(); });
