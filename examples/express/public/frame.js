// Inside the side-by-side view's frames the tabs are already on the page around them.
if (window.self !== window.top) document.documentElement.classList.add('framed');
