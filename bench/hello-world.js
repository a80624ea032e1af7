// The ceiling: a Worker that does nothing, served exactly as the service is.
export default {
  fetch() {
    return new Response('ok');
  },
};
