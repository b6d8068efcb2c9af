// A live blog's reader page asks for new posts every few seconds while the coverage is live
// (news/api/live.py) with ?since= the last answer's meta.latest, revalidating with the
// server each time, so an unchanged answer is a 304 from the response cache. New posts go
// on top, corrected ones are replaced, and posts no longer listed in post_ids (deleted,
// unpublished) are removed.
// Without JavaScript the page is complete as served, with "Older" pages.
(function () {
    "use strict";

    var list = document.querySelector("[data-live-posts]");
    if (!list || list.dataset.status !== "live") {
        return;
    }
    var interval = parseInt(list.dataset.interval, 10) || 5000;
    var since = list.dataset.since || "";
    var firstPage = list.dataset.firstPage === "true";

    function text(tag, className, value) {
        var element = document.createElement(tag);
        if (className) {
            element.className = className;
        }
        element.textContent = value;
        return element;
    }

    function clock(iso) {
        var time = document.createElement("time");
        time.setAttribute("datetime", iso);
        var moment = new Date(iso);
        time.textContent = ("0" + moment.getHours()).slice(-2) + ":" + ("0" + moment.getMinutes()).slice(-2);
        return time;
    }

    function render(post) {
        var article = document.createElement("article");
        article.className = "live-post" + (post.key_event ? " live-post--key" : "") + (post.pinned ? " live-post--pinned" : "");
        article.id = "post-" + post.id;
        article.dataset.postId = String(post.id);
        var meta = document.createElement("p");
        meta.className = "live-post__meta";
        meta.appendChild(clock(post.posted_at));
        if (post.author) {
            meta.appendChild(document.createTextNode(" "));
            meta.appendChild(text("span", "byline", post.author.name));
        }
        if (post.key_event) {
            meta.appendChild(document.createTextNode(" "));
            meta.appendChild(text("span", "live-post__flag", "Key event"));
        }
        if (post.corrected_at) {
            meta.appendChild(document.createTextNode(" "));
            meta.appendChild(text("span", "live-post__flag", "Corrected"));
        }
        article.appendChild(meta);
        if (post.headline) {
            article.appendChild(text("h2", "live-post__headline", post.headline));
        }
        var body = document.createElement("div");
        body.className = "live-post__body";
        // The server's cleaned rich text (news/rich_text.py), as the page itself renders it.
        body.innerHTML = post.body;
        article.appendChild(body);
        if (post.image) {
            var figure = document.createElement("figure");
            figure.className = "live-post__image";
            var img = document.createElement("img");
            img.src = post.image.renditions.medium.url;
            img.alt = post.image.alt;
            img.width = post.image.renditions.medium.width;
            img.height = post.image.renditions.medium.height;
            img.loading = "lazy";
            figure.appendChild(img);
            article.appendChild(figure);
        }
        if (post.embed) {
            var embed = document.createElement("p");
            embed.className = "live-post__embed";
            var link = text("a", "", post.embed.url);
            link.href = post.embed.url;
            link.rel = "noopener";
            embed.appendChild(link);
            article.appendChild(embed);
        }
        return article;
    }

    function place(element, postedAt) {
        var posts = list.querySelectorAll("[data-post-id]");
        for (var i = 0; i < posts.length; i++) {
            var time = posts[i].querySelector("time");
            // As instants: the page writes times in TIME_ZONE, the API in UTC.
            if (time && Date.parse(time.getAttribute("datetime")) <= Date.parse(postedAt)) {
                list.insertBefore(element, posts[i]);
                return;
            }
        }
        if (firstPage || posts.length === 0) {
            list.appendChild(element);
        }
    }

    function keyEvents(events) {
        var nav = document.querySelector("[data-key-events]");
        if (!nav) {
            return;
        }
        var ol = nav.querySelector("ol");
        ol.textContent = "";
        events.forEach(function (event) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = "#post-" + event.id;
            link.appendChild(clock(event.posted_at));
            link.appendChild(document.createTextNode(" " + (event.headline || "Key event")));
            item.appendChild(link);
            ol.appendChild(item);
        });
        nav.hidden = events.length === 0;
    }

    function apply(answer) {
        var live = {};
        answer.post_ids.forEach(function (id) {
            live[id] = true;
        });
        document.querySelectorAll("[data-post-id]").forEach(function (element) {
            if (!live[element.dataset.postId]) {
                element.remove();
            }
        });
        answer.items.slice().reverse().forEach(function (post) {
            var fresh = render(post);
            var old = document.getElementById("post-" + post.id);
            if (old) {
                old.replaceWith(fresh);
            } else if (firstPage) {
                place(fresh, post.posted_at);
            }
        });
        var empty = list.querySelector("[data-live-empty]");
        if (empty && list.querySelector("[data-post-id]")) {
            empty.remove();
        }
        keyEvents(answer.key_events);
        if (answer.meta.latest) {
            since = answer.meta.latest;
        }
        var status = document.querySelector("[data-live-status]");
        if (status && answer.live_blog.status !== "live") {
            status.textContent = answer.live_blog.status === "ended" ? "Ended" : "Upcoming";
        }
        return answer.live_blog.status === "live";
    }

    function poll() {
        var url = list.dataset.endpoint + (since ? "?since=" + encodeURIComponent(since) : "");
        // "no-cache": the browser asks the server each time, with If-None-Match from its own
        // cache (the answer may be kept public for a couple of seconds).
        fetch(url, { cache: "no-cache", credentials: "omit" })
            .then(function (response) {
                if (response.status === 304) {
                    return true;
                }
                if (!response.ok) {
                    return true; // try again at the next tick (a deploy, a blip)
                }
                return response.json().then(apply);
            })
            .catch(function () {
                return true;
            })
            .then(function (keepGoing) {
                if (keepGoing) {
                    window.setTimeout(poll, interval);
                }
            });
    }

    window.setTimeout(poll, interval);
})();
