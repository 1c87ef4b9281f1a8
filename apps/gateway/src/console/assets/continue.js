/* global document, window */
// After sign-in: continue with a same-site navigation, so that the SameSite=Strict session cookie is sent.
'use strict';
(function () {
  var link = document.getElementById('continue');
  if (link) window.location.replace(link.getAttribute('href'));
})();
